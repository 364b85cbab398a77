from scoring import CallTurn, TimedWord, score_call


def test_score_call_gives_seconds_and_call_offsets():
    turns = [CallTurn("Thanks for calling, how can I help?", "", 0.0, 2.0),
             CallTurn("I'm so sorry about that. I'll refund you today.", "I was charged twice and I'm upset", 10.0, 14.0,
                      [TimedWord("I'm", 10.0, 10.2), TimedWord("so", 10.2, 10.4), TimedWord("sorry", 10.4, 10.9)])]
    card = score_call(turns, models=False)
    joined = "\n".join(t.text for t in turns)
    sorry = [e for e in card.evidence if e.reason == "apologises"][0]
    assert joined[sorry.start:sorry.end] == sorry.text
    assert sorry.start_s == 10.0 and sorry.end_s == 10.9
    assert all(e.start_s is not None for e in card.evidence)


def test_score_call_penalises_jargon_anywhere_and_rewards_empathy_somewhere():
    plain = [CallTurn("Hello, how can I help?", ""), CallTurn("I'm so sorry, that sounds stressful.", "I'm stressed")]
    jargon = plain + [CallTurn("I raised an RMA for the SKU via the 3PL.", "ok")]
    assert score_call(plain, models=False).scores["empathy"] >= 60
    assert score_call(jargon, models=False).scores["jargon"] < score_call(plain, models=False).scores["jargon"]


def test_score_call_with_no_speech_scores_zero():
    card = score_call([CallTurn("   ", "")], models=False)
    assert card.overall == 0 and "empty_reply" in card.auto_fail
