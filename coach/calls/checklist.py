"""The complaint-handling checklist, each step ticked at the moment the agent did it.

The steps follow the complaint-handling practice in the shared customer-service notes
(../shared/seeds, "Handling Customer Complaints and Issues"): stay professional and greet, acknowledge
the customer's feelings and apologise, ask questions to gather the facts, take ownership, offer a
solution, give a timeline when it cannot be fixed at once, confirm it is resolved, and close properly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from coach.calls.transcript import AGENT, CallSegment

EDGE_SHARE = 0.25  # greeting in the first quarter of the call, closing in the last


@dataclass(frozen=True)
class Step:
    item: str
    label: str
    guidance: str
    pattern: re.Pattern
    where: str = "anywhere"  # "opening" | "closing" | "anywhere"


def _p(expression: str) -> re.Pattern:
    return re.compile(expression, re.IGNORECASE)


_DURATION = r"(?:minutes?|hours?|days?|working days|business days|weeks?)"
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight)"
STEPS: tuple[Step, ...] = (
    Step("greeted", "Greeted the customer", "Open warmly: greet, give your name and offer help.",
         _p(r"\b(hello|hi|good (morning|afternoon|evening)|thanks? (you )?for (calling|contacting|holding)|welcome to|"
            r"my name is|you(\'ve| have) reached|how (can|may) i help)\b"), "opening"),
    Step("acknowledged", "Acknowledged the feeling", "Acknowledge the customer's feelings before fixing anything.",
         _p(r"\b(i (completely |totally |really )?(understand|hear you|can see|can imagine|appreciate)|i can hear (that|how)|"
            r"that (sounds|must be|must have been|is) (really |so |very )?(frustrating|annoying|difficult|stressful|upsetting|worrying|"
            r"disappointing|inconvenient)|i know how (frustrating|annoying|stressful)|understandabl[ey]|that's not (good enough|what you expected|acceptable))\b")),
    Step("apologised", "Apologised", "Apologise for the inconvenience or frustration they have experienced.",
         _p(r"\b((i'm|i am|we're|we are) (so |really |very |truly |terribly )?sorry|(my|our|sincere) apologies|(i|we) apologi[sz]e)\b")),
    Step("clarifying_question", "Asked clarifying questions", "Ask questions to gather all the relevant information.",
         _p(r"\b(can you|could you|would you|when did|when was|what (is|was|were|did|does|time|date)|which|do you|did you|have you|"
            r"is it|was it|are you|were you|how long|how many|how much|where)\b[^?]*\?")),
    Step("ownership", "Took ownership", "Take ownership and reassure the customer you will work to find a solution.",
         _p(r"\b(i(\'ll| will) (personally |now )?(take care|handle|sort|make sure|look into|fix|follow (it |this )?up|get (this|that|it) (sorted|fixed|resolved)|own)|"
            r"leave it with me|i(\'m| am) going to (sort|fix|handle|make sure|take care|look into|get)|i take (full )?responsibility|"
            r"let me (sort|fix|take care|handle|look into|check)|i(\'ll| will) keep (you|an eye)|"
            r"i(\'ll| will) (personally |now |also )?(refund|replace|send|call|email|ring|arrange|process|book|credit|escalate|chase|"
            r"track|update|contact|get back|come back))\b")),
    Step("solution", "Offered a solution", "Offer a solution that addresses the customer's needs.",
         _p(r"\b(i(\'ve| have) (just )?(issued|arranged|processed|sent|refunded|booked|reordered|credited|replaced|cancelled|escalated|raised)|"
            r"(i|we) (can|will|'ll|could) (send|issue|arrange|refund|replace|credit|offer|reship|book|process|give you)|"
            r"here(\'s| is) what (i|we) (can|will) do|what (i|we) can do is|you(\'ll| will) (get|receive) (a|your|the)|"
            r"(full |a )?(refund|replacement|credit|discount|voucher|reimbursement))\b")),
    Step("timeline", "Gave a timeline", "If it cannot be fixed now, say when it will be and how they will hear.",
         _p(rf"\b((within|in|by|before|over) (the next )?(a |an |one |two |three |four |five |seven |ten |\d+ |\d+ to \d+ |a couple of |a few ){_DURATION}|"
            rf"(\d+|one|two|three|four|five|seven|ten)( to (\d+|two|three|four|five|seven|ten))? {_DURATION}|"
            rf"(by|on|before|until) {_DAYS}|{_DAYS}|end of (the )?(day|week)|(this|next) (afternoon|evening|week|month)|"
            r"(i|we)(\'ll| will) [^.?!]{0,60}\btoday)\b")),  # "today" only in a commitment, not "how can I help today"
    Step("confirmed_resolution", "Confirmed resolution", "Check the customer is satisfied that the issue is resolved.",
         _p(r"\b((does|did|will) (that|this) (help|solve|resolve|answer|sort|fix|work)|is that (ok|okay|alright|all right|acceptable)|"
            r"(are|is) (you|everything) (happy|ok|okay|sorted|all set)|have i (answered|resolved|solved)|"
            r"(does|is) that (sound|look) (good|ok|okay|fair|alright))\b")),
    Step("closed", "Closed properly", "End politely: anything else, thank them, say goodbye.",
         _p(r"\b(is there anything else|anything else (i can|you need)|thanks? (you )?(for (calling|your patience|contacting|being|your time))|"
            r"have a (good|great|nice|lovely|wonderful) (day|evening|afternoon|weekend)|goodbye|bye|take care)\b"), "closing"),
)
ITEMS = tuple(step.item for step in STEPS)


def tick_checklist(segments: Sequence[CallSegment], duration: float) -> dict[str, dict]:
    """``{item: {"done": bool, "at": seconds or None}}`` from the agent's words."""
    agent = _agent_turns(segments)
    result = {}
    for step in STEPS:
        moments = (_time_of(segment, match.start()) for segment in _where(step.where, agent, duration)
                   for match in step.pattern.finditer(segment.text))
        at = next((moment for moment in moments if _in_its_half(step.where, moment, duration)), None)
        result[step.item] = {"done": at is not None, "at": at}
    return result


def _in_its_half(where: str, moment: float, duration: float) -> bool:
    """A greeting belongs to the first half of the call and a closing to the second ("thanks for calling" opens too)."""
    if where == "opening":
        return moment < duration / 2
    if where == "closing":
        return moment >= duration / 2
    return True


def _agent_turns(segments: Sequence[CallSegment]) -> list[CallSegment]:
    """The agent's turns: consecutive agent segments joined, since Whisper cuts sentences across segments."""
    turns: list[CallSegment] = []
    joining = False
    for segment in sorted(segments, key=lambda s: s.start):
        if segment.speaker != AGENT or not segment.words:
            joining = joining and segment.speaker == AGENT
            continue
        if joining:
            words = turns[-1].words + segment.words
            turns[-1] = CallSegment(turns[-1].start, segment.end, AGENT, " ".join(w.word for w in words), words,
                                    turns[-1].channel)
        else:
            turns.append(CallSegment(segment.start, segment.end, AGENT, " ".join(w.word for w in segment.words),
                                     list(segment.words), segment.channel))
        joining = True
    return turns


def _where(where: str, agent: list[CallSegment], duration: float) -> list[CallSegment]:
    if where == "opening":
        return [s for i, s in enumerate(agent) if i < 2 or s.start <= EDGE_SHARE * duration]
    if where == "closing":
        return [s for i, s in enumerate(agent) if i >= len(agent) - 2 or s.end >= (1 - EDGE_SHARE) * duration]
    return agent


def _time_of(segment: CallSegment, offset: int) -> float:
    """The start of the word holding character ``offset`` of the segment's text (words joined by spaces)."""
    position = 0
    for word in segment.words:
        position += len(word.word) + 1
        if offset < position:
            return round(word.start, 2)
    return round(segment.words[-1].start, 2)
