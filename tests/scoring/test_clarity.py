from scoring import TimedWord, VoiceFeatures, score_reply

CONTEXT = "My internet keeps dropping."
CLEAR = "I'll run a line test now. You'll get a text with the result by 5 pm today."
TANGLED = ("So basically what happens is that the connection kind of drops because of a lot of different things "
           "and it could be the router or the line or something like that and we would need to look at all of it "
           "and then maybe somehow figure out what is going on with it and so on at the end of the day.")


def test_clarity_prefers_short_sentences_with_a_next_step():
    assert score_reply(CLEAR, CONTEXT, models=False).scores["clarity"] >= 80
    assert score_reply(TANGLED, CONTEXT, models=False).scores["clarity"] <= 40


def test_clarity_flags_the_long_sentence_as_evidence():
    card = score_reply(TANGLED, CONTEXT, models=False)
    long = [e for e in card.evidence if e.dimension == "clarity" and "long sentence" in e.reason]
    assert long and TANGLED[long[0].start:long[0].end] == long[0].text


def test_clarity_drops_for_fast_monotone_delivery():
    calm = score_reply(CLEAR, CONTEXT, voice=VoiceFeatures(words_per_minute=150, pitch_variation=4.0), models=False)
    rushed = score_reply(CLEAR, CONTEXT, voice=VoiceFeatures(words_per_minute=230, monotone=True), models=False)
    assert rushed.scores["clarity"] < calm.scores["clarity"] - 15
    assert any("monotone" in e.reason for e in rushed.evidence)


def test_clarity_long_pause_evidence_carries_seconds():
    words = [TimedWord("I'll", 0.0, 0.2), TimedWord("run", 0.3, 0.5), TimedWord("a", 3.5, 3.6),
             TimedWord("test", 3.7, 4.0)]
    card = score_reply("I'll run a test", CONTEXT, words=words, models=False)
    pause = [e for e in card.evidence if "pause" in e.reason]
    assert pause and pause[0].start_s == 0.5 and pause[0].end_s == 3.5


def test_clarity_tip_has_an_example_next_step():
    assert "I'll run a check on your line" in score_reply(TANGLED, CONTEXT, models=False).tips["clarity"]
