"""What each sentence of a reply does: asks, reflects, affirms, advises, informs or talks about the agent.

General sentence-type cues (mood, who the subject is, modal advice, feeling words aimed at the customer),
shared by the active-listening and empathy rules and fed to the learned model as features.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .language import PreparedReply, informal_to_standard, run_on_clauses

FEELING_WORDS = (r"(?:hard|difficult|frustrat\w*|stress\w*|upset\w*|tough|painful|scary|scared|overwhelm\w*|awful|"
                 r"terrible|horrible|worr\w*|disappoint\w*|annoy\w*|confus\w*|exhaust\w*|lonely|alone|isolated|sad|"
                 r"hurt\w*|heartbreak\w*|unfair|rough|challenging|anxious|angry|mad|infuriating|down|depress\w*|"
                 r"lost|stuck|helpless|hopeless|tired|drained|nervous|afraid|fearful|concern\w*|torn|rough|devastat\w*|"
                 r"miserable|unhappy|troubl\w*|distress\w*|let down|betrayed|embarrass\w*|ashamed|guilty|bad|low|furious|"
                 r"livid|heartbroken|crushed|discourag\w*|disheart\w*|insecure|unappreciated|ignored|fed up|shock\w*|"
                 r"unsettl\w*|nerve-?wracking|frighten\w*|frusterat\w*|"
                 r"a lot to (?:deal with|handle|carry)|not (?:okay|easy|fun))")

# "you should / must / need to ...": an order, not "you must feel..." nor a question ("do you have to pay?")
YOU_MUST = (r"\byou(?<!\bdo you)(?<!\bdid you)(?<!\bwill you)(?<!\bwould you) (?:should|must(?! (?:feel|be|have))|"
            r"need to|have to|ought to)\b")
_AUXILIARY = r"(?:do|does|did|are|is|was|were|have|has|had|can|could|would|will|may|might|shall|should)(?:n't)?"
# A question without its "?" (informal chat): an inverted auxiliary, or a wh-word followed by one ("how long
# has it been"); a wh-word alone does not ask ("when you look after everyone, you forget yourself").
QUESTION_START = re.compile(
    rf"^(?:(?:and|but|so|ok|okay|well|oh|hmm|also)[, ]+)?(?:(?:what|how|when|where|which|who|whom|whose|why)"
    rf"(?: (?:long|often|much|many|far|soon|old|exactly|else|kind of \w+|sort of \w+))? (?:{_AUXILIARY}|"
    rf"happened|made|makes|brought|caused|changed|went|helps?|worries|bothers)\b|(?:what|how|who|where|when)'s\b|how "
    rf"come\b|{_AUXILIARY} (?:you|your|it|that|this|there|they|he|she|we|i|the|his|her|their|our|my|anyone|"
    rf"anything|someone|things|everything|everyone)|(?:may|can|could|might) i ask)\b")
# An invitation to say more ("tell me what happened", "talk me through it") asks, though it is not a question.
INVITATION = re.compile(
    r"^(?:(?:please|so|okay|ok|well|and|oh|alright)[, ]+)*(?:(?:do |please )?(?:tell|talk|walk) me\b|share "
    r"(?:\w+ )?with me\b|i(?:'d| would) (?:love|like) to (?:hear|know)\b)")
ADVICE_QUESTION = re.compile(
    r"\b(?:have|did|had) you (?:ever )?(?:tried|try|considered|consider|thought (?:about|of)|looked into|"
    r"attempted)\b|\b(?:could|can|would|will|might) you (?:maybe |perhaps |possibly |not )?(?:try|consider|talk|"
    r"speak|ask|reach|contact|call|look|go|get|find|take|make|start|join|see|reinstall|restart|reset|use|switch|"
    r"send|check|move|write|spend)\b(?! (?:me|us)\b)|\b(?:what|how) about\b|\bwhy (?:not|don't you)\b|"
    r"\b(?:would|wouldn't|could|might) it (?:be|help)\b|\bdo you think (?:it|that|you|maybe|this)\b.*\b(?:would|"
    r"could|might|help)\b|"
    r"\bis there (?:any ?one|someone|somebody|a way|any way|anything you(?!'d| would| want| wish))\b|\bis it possible (?:to|for you)\b|"
    r"\byou (?:could|can|might) (?:try|talk|ask|speak|reach|go|get|find|do|start|use|look)\b|"
    r"\bdo you (?:think|feel) (?:that )?(?:it|that|this|a|some|talking|maybe|getting|trying)\b.*\b(?:would|could|"
    r"might) (?:help|make|be)\b|\b(?:would|will) you be "
    r"(?:open|willing|able)\b|\bdo you have (?:any |some |other |a |close )?(?:friends?|family|relatives|someone|"
    r"anyone|somebody)\b.*\b(?:could|can|to)\b|\bhave you (?:ever |already |personally )?(?:spoken|talked|reached "
    r"out|told|communicated|asked (?:them|him|her|your|for)|let (?:them|him|her|your) \w+ know|had a (?:chat|talk|"
    r"conversation|word)|contacted|called|used|gone to|visited|checked (?:your|in|with|whether|if|the)|looked (?:at|"
    r"into|for)|cleared|restarted|updated)\b|\b(?:would|wouldn't|could|might|will) (?:that|this|doing that) "
    r"(?:help|work)\b|\bwould you (?:feel|be) (?:comfortable|okay|happy) (?:\w+ing|with)\b|\bwhat if you\b|"
    r"\b(?:are there|do you know(?: of)?) (?:any |some )?(?:friends?|family|people|someone|anyone|somebody|"
    r"groups?|resources|places|services)\b.*\b(?:you could|you can|to talk|who could|who can|that could|that "
    r"can)\b|\bis there (?:a|any) (?:chance|way) you\b")
ADVICE = re.compile(
    r"\byou (?:should|could|can|might|may|need to|have to|must|ought to|'d better|had better)(?: (?:also|always|"
    r"just|maybe|perhaps|really|probably|definitely))? (?!be |have been |feel |imagine )\w+|\byou(?:'ll| will) "
    r"(?:want|need) to\b|\byou might want to\b|\b(?:maybe|perhaps) (?:you|try|it|consider|talk|take|get|look|"
    r"find|start|think)\b|\b(?:i|i'd|we|we'd) (?:would )?(?:suggest|recommend|advise|encourage)\b|\bmy "
    r"(?:advice|suggestion|recommendation)\b|\bif i were you\b|\bit (?:might|may|would|could|will|can) "
    r"(?:help|be (?:a good idea|helpful|worth|useful|beneficial|good))\b|\b(?:try|consider|remember) (?:to |"
    r"\w+ing\b)|\bmake sure\b|\bdon't forget\b|\bthe best (?:thing|way)\b|\bone (?:thing|option|idea) "
    r"(?:that )?(?:might|could|would|is)\b|\bit(?:'s| is) (?:important|a good idea|best|worth) to\b|"
    r"\blet's\b")
IMPERATIVE = re.compile(
    r"^(?:(?:please|just|so|and|but|then|also|first|maybe|perhaps)[, ]+)?(?:try|take|go|get|talk|speak|keep|make|"
    r"find|call|reach|ask|look|write|join|spend|focus|remember|stay|give(?! (?:me|us)\b)|set|start|stop|avoid|think|"
    r"consider|contact|check|restart|reset|reinstall|clear|send(?! (?:me|us)\b)|use|visit|see|read|visit|update|turn|"
    r"switch|put|"
    r"let(?! (?:me|us)\b)|tell(?! me\b)|do|don't|never|always|be(?! assured\b)|have|eat|sleep|exercise|breathe|"
    r"meditate|relax|plan|practice|practise)\b")
SELF = re.compile(
    r"\b(?:i|i've|i'd)(?: (?:also|too|once|actually|personally|myself|really|recently|just))? (?:had|have had|went|"
    r"was|were|used to|lost|felt|did|got|found|remember|experienced|tried|took|started|quit|moved|live|work|"
    r"love|like|enjoy|have (?:a|an|two|three|my|been|also|experienced|gone|dealt|struggled|had)|am (?:also|a |an |"
    r"going through|in the same)|know (?:what|how) (?:it|that)(?:'s| is| was) like|deal with|struggle|myself|"
    r"find (?:that|it)|think i)\b|\bme too\b|\bsame (?:here|with me|thing happened)\b|\bin my (?:experience|"
    r"case|life|opinion)\b|\bfor me\b|\bpersonally\b|\bmy (?:own|wife|husband|friend|friends|mother|father|dad|"
    r"mum|mom|son|daughter|family|kids|children|partner|sister|brother|boyfriend|girlfriend|boss|job|dog|cat|"
    r"parents|grandmother|grandfather|experience)\b|\bwhen i\b")
REFLECT = re.compile(
    rf"\byou(?<!\bif you)(?<!\bwhen you)(?:'re| are| must be| must feel| must have been| might be| may be| feel| "
    rf"felt| seem| sound|'ve been| have been| were| probably feel)(?: (?:so|really|very|quite|a bit|a little|pretty|"
    rf"understandably|feeling|"
    rf"incredibly|extremely|rather|somewhat))* {FEELING_WORDS}|\b(?:that|this|it|which|what you(?:'re| are) going "
    rf"through|everything)(?:'s| is| must be| must have been| sounds| seems| would be| can be| has been| was| "
    rf"looks)(?: (?:like|so|really|very|incredibly|truly|quite|extremely|such|a|an|pretty|super|rather|"
    rf"definitely|kind of|very|really|clearly|obviously|certainly|understandably))* {FEELING_WORDS}|"
    rf"\b(?:a|such a|an) (?:really |very |so |incredibly )?{FEELING_WORDS} (?:feeling|thing|time|situation|place|"
    rf"spot|position|experience|period|year|week|day|road|decision|one|thing to)\b|\bi see (?:how|why) \w+|\b(?:it |that )?(?:sounds|seems|looks) (?:like|as if|"
    rf"as though) you\b|\bi (?:can|could) (?:only |really |definitely |totally |certainly |clearly |also )?(?:imagine|understand|"
    rf"see|tell|hear|sense|feel) (?:how|why|that|what|you)\b|\bhow (?:(?:so|very|really|truly) )?{FEELING_WORDS} "
    rf"(?:you|this|that|it)(?:'re| are| must| feel| seem|'ve| have| is| was| has)\b|\bi (?:completely |totally |really |fully |truly )?(?:understand|know|get) (?:how|why|what) "
    rf"you(?:'re| are)? (?:feel|must|might|going)\w*|\byou (?:must |might |probably |may )?(?:feel|felt) (?:like|that|as if|as though)\b|\bi hear "
    rf"(?:you|that|what)\b|\bi (?:completely |totally |really |fully |truly |can )?(?:understand|get|see) your "
    rf"(?:\w+ )?(?:feelings?|frustration|concerns?|worry|worries|pain|fears?|anger|upset|situation|position|point)\b|"
    rf"\bi (?:completely |totally |really |fully |truly )?understand (?:that you|you)\b|\b(?:understand|see|get) where you(?:'re| are) coming from\b|\bi know (?:the|that) feeling\b|"
    rf"\banyone (?:would|in your (?:shoes|position|place)) (?:be|feel|would)\b|\bi(?:'m| am) sure (?:you|it|that)"
    rf"(?:'s| is|'re| are| must| feel| have|'ve)(?: (?:been|feeling|filled with))? (?:so |really |very |quite )?"
    rf"(?:{FEELING_WORDS}|mixed|a lot|emotional|hard on you)\b|\bi(?:'m| am) (?:so |very |really |truly )?sorry "
    rf"(?:to hear|you|that|for (?:your|what))\b")
# More ways of naming a feeling, kept apart from REFLECT: joined into it they defeat the regex engine's prefix scan.
REFLECT_MORE = re.compile(
    # "I can feel your frustration", "I'd be furious too", "I can see it being hard", "it sounds like she ..."
    rf"\bi (?:can |could )?(?:really |truly )?(?:feel|sense) (?:your|the) \w+|\bi(?:'d| would)(?: also| probably| "
    rf"definitely| certainly)? (?:be|feel) (?:so |really |very |just as |pretty |absolutely )?{FEELING_WORDS} "
    rf"(?:too|as well|also)\b|\bi (?:can |could )?(?:see|imagine|understand) (?:it|that|this) (?:being|must be|would "
    rf"be|is|was)(?: (?:so|really|very|pretty|quite))? {FEELING_WORDS}|\b(?:it |that )?(?:sounds|seems|looks) (?:like|"
    rf"as if|as though) (?:she|he|they|things|everything|someone|a lot)\b|\byou (?:sound|seem) (?:as though|as if|"
    rf"like)\b|\bi know (?:just )?how (?:are you|you(?:'re| are)?) feel\w*|\bi know (?:just )?how {FEELING_WORDS}")
# "waiting two weeks for a refund is really frustrating", "losing a loved one is hard": tried at the start of a
# sentence and after each comma or dash (a pattern that may start anywhere would be slow).
REFLECT_SITUATION = re.compile(
    rf"(?:\w+ ){{0,2}}(?!(?:no|some|any|every)thing\b|morning|evening|during|building)\w+ing\b(?: [\w']+){{0,8}} "
    rf"(?:is|can be|must be|would be|has been|sounds|seems|must feel|(?:can )?makes? (?:it|things|life|you feel))"
    rf"(?: (?:so|very|really|incredibly|always|never|such|pretty|quite|extremely))* (?:a |an )?{FEELING_WORDS}\b")
_CLAUSE_START = re.compile(r"[,;:–—-] ")
AFFIRM = re.compile(
    r"\byou(?:'re| are) not alone\b|\bit(?:'s| is)(?: completely| totally| perfectly| very)? (?:okay|ok|alright|"
    r"normal|natural|understandable|fine) to\b|\b(?:that's|that is|it's|it is|this is)(?: completely| totally| "
    r"perfectly| very| so)? (?:understandable|normal|natural|valid|reasonable)\b|\bmakes (?:complete |total "
    r"|perfect )?sense\b|\byou did (?:the right thing|nothing wrong|well|great|your best)\b|\b(?:that|it) takes "
    r"(?:a lot of )?(?:courage|strength|guts)\b|\bi(?:'m| am) (?:sure|confident|certain) (?:you|that you|things|"
    r"it|everything|this)\b|\b(?:you|things|it|everything)(?:'ll| will) (?:get through|be (?:fine|okay|ok|"
    r"alright|able)|get better|work out|find|make it|figure|manage|overcome|do (?:great|well|fine))\b|"
    r"\byou(?:'re| are) doing (?:great|well|so well|the best|your best|amazing|fine|the right)\b|\bdon't be (?:too |"
    r"so )?hard on yourself\b|\bnot your fault\b|\byou(?:'re| are) (?:a |such a |so |very |really )?(?:strong|brave|"
    r"good|great|kind|caring|smart|capable|resilient|wonderful|amazing|lovely|thoughtful)\b|\byou (?:deserve|"
    r"should be proud)\b|\bi believe (?:in )?you\b|\b(?:i'm|i am|so) (?:glad|happy|proud|pleased|relieved)\b|"
    r"\b(?:good|great|well done|wonderful|awesome|excellent|amazing|fantastic)(?: for you| job| idea| to hear|!)|"
    r"\bdon't worry\b|\bno need to (?:worry|apologi[sz]e|be sorry)\b|\bhang in there\b|\byou(?:'ve| have) got "
    r"this\b|\bi(?:'m| am) here (?:for you|to (?:help|listen))\b|\bit(?:'s| is) (?:going to|gonna) be "
    r"(?:okay|ok|fine|alright)\b|\bthere is (?:always )?hope\b|\b(?:we'll|we will|i'll|i will) (?:get|sort) "
    r"(?:this|it|you)\b|\b(?:rest|be) assured\b|\byou(?:'re| are) in good hands\b|\bthat(?:'s| is) (?:really |so |very )?(?:a )?(?:great|good|"
    r"wonderful|positive|smart|healthy)\b|\bi agree\b|\byou(?:'re| are) (?:absolutely |completely |totally |quite |so )?(?:right|asking)\b|"
    r"\byou(?:'ve| have) (?:done|been doing) (?:so |really )?(?:great|well|amazing|brilliantly|a (?:great|good|"
    r"fantastic) job|your best|everything right)\b|\byou(?:'re| are) (?:\w+er) than you (?:think|know|reali[sz]e)\b|"
    r"\byou(?:'re| are) being (?:sensible|reasonable|smart|responsible|careful|fair)\b|"
    r"\byou(?:'re| are) (?:definitely |certainly |absolutely |really |clearly )?not (?:a |being )?(?:failure|weak|"
    r"stupid|crazy|alone|soft|selfish|bad|wrong|to blame|weird|silly|overreacting|a burden)\b|\bi know (?:that )?"
    r"you(?:'ll| will| can| are| have|'re|'ve)\b|\b(?:i )?(?:commend|admire)\b|\badmirabl\w*|\btake pride\b|"
    r"\bbe proud\b|\bwe(?:'re| are) (?:all )?in this together\b|\b(?:it's|it is|that's|that is) (?:so |really )?"
    r"(?:good|great|wonderful|nice|brilliant|amazing) (?:that |to hear )?(?:you|your)\b|\b(?:a |such a )?(?:great|"
    r"good|huge|big|fantastic|amazing) (?:result|achievement|accomplishment|effort|progress)\b|\bthanks? "
    r"(?:you )?for (?:sharing|telling me|trusting|opening up)\b|\byour (?:strength|courage|resilience)\b")
INFORM = re.compile(
    r"\b(?:studies|research|statistics|experts?|science|data|doctors?|therapists?|people) (?:show|shows|say|says|"
    r"suggest|suggests|found|have found|recommend|tend)\b|\baccording to\b|\bthere (?:are|is) (?:many|a lot of|"
    r"lots of|several|some|plenty of|various|a number of|resources|websites|programs|groups|apps|hotlines|"
    r"services)\b|\b(?:many|most|some|a lot of|lots of) (?:people|companies|places|jobs|employers|students|"
    r"of us|folks)\b|\bit(?:'s| is) (?:common|normal|usual|typical|known|proven|important)\b|\b(?:usually|"
    r"typically|generally|normally|often) (?:take|takes|is|are|get|gets)\b|\b\d+\s?(?:%|percent|days?|hours?|"
    r"weeks?|months?|years?|am|pm)\b|https?://|www\.|\.com\b|\bcalled\b|\bis a (?:website|program|service|"
    r"organization|organisation|app|site)\b")
# The agent's own part in the same sentence turns an instruction into a request that lets the agent act.
AGENT_ACTS = re.compile(r"\b(?:i|we)(?:'ll| will| can| could)\b(?! (?:be here|always|never))")
# What the agent has already done ("I've paused it from today"): news about the case, not general information.
AGENT_DID = re.compile(r"\b(?:i|we)(?:'ve| have) (?:just |now |already |also )?(?:\w+ed|sent|put|set|made|done|got)\b")
# Facts about the customer's own case ("your refund left us today", "I can see two payments") respond to them.
OWN_CASE = re.compile(
    r"\b(?:your|yours|you'll|you will|you won't|i can see|i(?:'ve| have) (?:checked|looked|found|had a look)|"
    r"looking at (?:your|the)|on (?:our|my) (?:system|side|end|records))\b")


@dataclass(frozen=True)
class SentenceKinds:
    """Counts per sentence kind, and (start, end, text, kind) spans for evidence."""

    sentences: int
    questions: int
    advice_questions: int
    advice: int
    self_talk: int
    reflections: int
    affirmations: int
    information: int
    you_focus: float
    spans: tuple[tuple[int, int, str, str], ...]
    last: tuple[int, int, str, tuple[str, ...]] | None = None  # the final sentence that does something


    def share(self, kind: str) -> float:
        return getattr(self, kind) / self.sentences if self.sentences else 0.0


_CLAUSE_EDGE = " ,;-–"
_YOU = re.compile(r"\b(?:you|you're|you've|you'd|you'll|your|yours|yourself)\b")
_ME = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself)\b")


def classify(prepared: PreparedReply) -> SentenceKinds:
    """What each sentence of the reply does (read once per reply; listening and empathy both ask)."""
    if "sentence_kinds" not in prepared.memo:
        prepared.memo["sentence_kinds"] = _classify(prepared)
    return prepared.memo["sentence_kinds"]


def _classify(prepared: PreparedReply) -> SentenceKinds:
    counts = dict.fromkeys(("questions", "advice_questions", "advice", "self_talk", "reflections", "affirmations",
                            "information"), 0)
    spans, last = [], None
    for start, end in prepared.sentences:
        raw = prepared.lower[start:end]
        sentence = raw.strip()
        offset = start + len(raw) - len(raw.lstrip())
        seen = set()
        standard, positions = informal_to_standard(sentence)
        found = []
        for clause_start, clause_end in run_on_clauses(standard):  # an informal run-on does several things
            clause = standard[clause_start:clause_end]
            lead = clause_start + len(clause) - len(clause.lstrip(_CLAUSE_EDGE))
            found += [(kind, positions[lead + s], positions[lead + e - 1] + 1 if e > s else positions[lead + s])
                      for kind, s, e in sentence_kinds(clause.strip(_CLAUSE_EDGE), standard)]
        if found:
            last = (offset, offset + len(sentence), prepared.text[offset:offset + len(sentence)],
                    tuple(kind for kind, _, _ in found))
        for kind, s, e in found:
            if kind not in seen:
                counts[kind] += 1
                seen.add(kind)
            spans.append((offset + s, offset + e, prepared.text[offset + s:offset + e], kind))
    you, me = len(_YOU.findall(prepared.lower)), len(_ME.findall(prepared.lower))
    return SentenceKinds(len(prepared.sentences), you_focus=(you - me) / (you + me) if you + me else 0.0,
                         spans=tuple(spans), last=last, **counts)


def closing_match(kinds: SentenceKinds, weights: dict[str, tuple[float, str]]):
    """A match for how the reply ends: the move it closes on is the one the customer answers."""
    from .language import Match

    if kinds.last is None or kinds.sentences < 2:
        return None
    start, end, text, found = kinds.last
    for kind in found:
        if kind in weights:
            weight, reason = weights[kind]
            return Match(start, end, text, reason, weight)
    return None


def asks_customer(sentence: str) -> bool:
    """Whether a lower-cased sentence asks the customer something: a question, with or without its "?", or an
    invitation to say more."""
    return sentence.endswith("?") or bool(QUESTION_START.search(sentence) or INVITATION.search(sentence))


def _situation_reflection(sentence: str) -> re.Match | None:
    for start in [0] + [m.end() for m in _CLAUSE_START.finditer(sentence)]:
        found = REFLECT_SITUATION.match(sentence, start)
        if found:
            return found
    return None


def on_own_case(sentence: str, whole_sentence: str | None = None) -> bool:
    """Whether a lower-cased sentence (or clause of ``whole_sentence``) works on the customer's own case: the agent
    acting on it ("if you send me the receipt, I'll refund it"), or facts about it that advise nothing ("your refund
    left us today")."""
    if AGENT_ACTS.search(whole_sentence or sentence):
        return True
    return bool(OWN_CASE.search(sentence)) and not (ADVICE.search(sentence) or IMPERATIVE.search(sentence))


def sentence_kinds(sentence: str, whole_sentence: str | None = None) -> list[tuple[str, int, int]]:
    """The kinds one lower-cased sentence (or clause of ``whole_sentence``) belongs to, each with the span that shows
    it (start, end). Whether it works on the customer's case is read from the whole sentence: "you can cancel any
    time, and I'll switch you today" offers the customer an option, it does not advise."""
    case_work = AGENT_ACTS.search(whole_sentence or sentence)
    kinds = []
    whole = (0, len(sentence))
    asks = asks_customer(sentence)
    if asks:
        kinds.append(("advice_questions" if ADVICE_QUESTION.search(sentence) else "questions", *whole))
    else:
        advice = ADVICE.search(sentence) or IMPERATIVE.search(sentence)
        if advice and not case_work:  # "if you send me the receipt, I'll refund it" asks for the customer's part
            kinds.append(("advice", advice.start(), advice.end()))
    reflection = REFLECT.search(sentence) or REFLECT_MORE.search(sentence) or _situation_reflection(sentence)
    if reflection:
        kinds.append(("reflections", reflection.start(), reflection.end()))
    for match in AFFIRM.finditer(sentence):
        kinds.append(("affirmations", match.start(), match.end()))
    if not asks and not reflection:
        self_talk = SELF.search(sentence)
        if self_talk and not OWN_CASE.search(sentence):  # "I've found the problem with your order" works on the case
            kinds.append(("self_talk", self_talk.start(), self_talk.end()))
    if not asks and not kinds:
        information = INFORM.search(sentence)
        about_the_case = case_work or OWN_CASE.search(sentence) or AGENT_DID.search(sentence)
        if information and not about_the_case:
            kinds.append(("information", information.start(), information.end()))
    return kinds
