"""Role-play practice pages: scenario library, briefing, player, debrief and attempt history.

Views are thin: they check who may see or play an attempt and call ``coach.roleplay.practice``.
Replies come back as htmx fragments: the scored turn, plus the customer's next line and the
mood meter swapped out of band.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlmodel import select

from coach import db, permissions
from coach.models import Attempt, AttemptStatus, AttemptTurn, JobStatus, Recording, User
from coach.permissions import requires, signed_in
from coach.roleplay import customer_voice, practice
from coach.roleplay import overrides as roleplay_overrides
from coach.roleplay.forms import ReplyForm, StartForm
from coach.roleplay.highlight import highlight
from coach.roleplay.scenario_store import scenario_from_row
from coach.speech.storage import SUFFIX_TYPES, served_type
from coach.web.extensions import htmx
from coach.web.lookup import allowed_or_403, attempt_or_404, get_or_404, job_or_404, require_can_see
from coach.web.navigation import dashboard_panel, nav_link
from coach.web.pagination import paginate_with
from scenarios import DIMENSIONS
from scenarios.mood import mood_label
from scoring.skills import skill_name

bp = Blueprint("roleplay", __name__, url_prefix="/practice")
nav_link(bp, "library", "Practice", "practise", order=10)
dashboard_panel(bp, "recent_panel", "Recent practice", "practise", order=10)
LIVE_PIECE_BYTES = 1 << 20  # the page sends a piece every quarter second (8 KB); more is not a live piece
OUTCOME_NAMES = {"resolved": "Resolved", "escalated": "Escalated", "hung_up": "Customer hung up", "unfinished": "Unfinished"}


@bp.context_processor
def _template_helpers() -> dict:
    return {"highlight": highlight, "mood_label": mood_label,
            "DIMENSIONS": DIMENSIONS, "OUTCOME_NAMES": OUTCOME_NAMES,
            "effective_scores": roleplay_overrides.effective_scores}


def _settings():
    return current_app.config["COACH"]


def _scenario_row(slug: str):
    row = practice.scenario_by_slug(db.get_session(), slug)
    if row is None:
        abort(404)
    return row


def _attempt_for_player(attempt_id: int) -> Attempt:
    attempt = attempt_or_404(attempt_id)
    allowed_or_403(permissions.can_play_attempt(current_user, attempt))
    return attempt


# --- library and briefing -----------------------------------------------------------------------

@bp.get("/")
@signed_in
def library():
    channel, skill = request.args.get("channel") or None, request.args.get("skill") or None
    found = practice.scenario_library(db.get_session(), current_user, channel, skill)
    return render_template("roleplay/library.html", library=found, channel=channel, skill=skill)


@bp.get("/scenarios/<slug>")
@signed_in
def briefing(slug: str):
    session = db.get_session()
    row = _scenario_row(slug)
    form = StartForm(assignment_id=request.args.get("assignment", type=int))
    resume = practice.open_attempt(session, current_user, row) if permissions.can_start_attempt(current_user) else None
    return render_template("roleplay/briefing.html", row=row, scenario=scenario_from_row(row), form=form, resume=resume)


@bp.post("/scenarios/<slug>/start")
@requires("practise")
def start(slug: str):
    row = _scenario_row(slug)
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    assignment_id = int(form.assignment_id.data) if form.assignment_id.data else None
    try:
        attempt = practice.start_attempt(db.get_session(), current_user, row, assignment_id)
    except practice.PracticeError as error:
        flash(str(error), "error")
        return redirect(url_for(".briefing", slug=slug))
    return redirect(url_for(".attempt", attempt_id=attempt.id))


@bp.get("/scenarios/<slug>/turns/<turn_id>/audio")
@signed_in
def customer_audio(slug: str, turn_id: str):
    path = practice.customer_audio_path(_scenario_row(slug), turn_id)
    if path is None:
        abort(404)
    return _send_recording(path, SUFFIX_TYPES.get(path.suffix.lower()), "customer" + path.suffix.lower())


@bp.get("/scenarios/<slug>/voice/<digest>.wav")
@signed_in
def spoken_line(slug: str, digest: str):
    """A customer line spoken by the server (``coach.roleplay.customer_voice``), for anyone who may practise it."""
    path = customer_voice.spoken_path(_settings(), _scenario_row(slug), digest)
    if path is None:
        abort(404)
    return _send_recording(path, "audio/wav", "customer.wav")


def _send_recording(path, content_type: str | None, download_name: str):
    """Played inline only as an allow-listed audio type, else downloaded; never sniffed into a page."""
    mimetype = served_type(content_type)
    response = send_file(path, mimetype=mimetype or "application/octet-stream", as_attachment=mimetype is None,
                         download_name=download_name, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- the player ---------------------------------------------------------------------------------

def _player(attempt: Attempt, **extra) -> dict:
    """Everything the player templates read: the attempt, its scenario, turns so far and the customer's line."""
    session = db.get_session()
    row = practice.scenario_row_of(session, attempt)
    scenario = scenario_from_row(row)
    turns = practice.attempt_turns(session, attempt)
    line = practice.current_line(attempt, row)
    ending_line = (attempt.debrief or {}).get("ending_customer", "") if attempt.status == AttemptStatus.finished else ""
    last = turns[-1] if turns else None
    return {
        "attempt": attempt, "row": row, "scenario": scenario, "persona": scenario.persona.name, "turns": turns,
        "line": line, "audio_url": _line_audio_url(row, line.text, attempt.mood, line) if line else None,
        "ending_audio_url": _line_audio_url(row, ending_line, attempt.mood) if ending_line else None,
        "can_play": permissions.can_play_attempt(current_user, attempt),
        "form": extra.pop("form", None) or ReplyForm(formdata=None), "error": None,
        "mood_change": (last.mood_after - last.mood_before) if last else 0,
        "pending_job": practice.pending_reply_job(session, attempt), **extra,
    }


def _line_audio_url(row, text: str, mood: int, line: practice.CustomerLine | None = None) -> str | None:
    """Where the page fetches the line's audio: the scenario's own file, else the server's rendering; None in chat."""
    if line is not None and line.has_audio:
        return url_for(".customer_audio", slug=row.slug, turn_id=line.turn_id)
    digest = customer_voice.spoken_line(_settings(), row, text, mood)
    return url_for(".spoken_line", slug=row.slug, digest=digest) if digest else None


@bp.get("/attempts/<int:attempt_id>")
@signed_in
def attempt(attempt_id: int):
    return render_template("roleplay/player.html", **_player(attempt_or_404(attempt_id)))


@bp.post("/attempts/<int:attempt_id>/reply")
@requires("practise")
def reply(attempt_id: int):
    attempt = _attempt_for_player(attempt_id)
    form = ReplyForm()
    error = None
    if form.validate_on_submit():
        try:
            turn = practice.submit_typed_reply(db.get_session(), attempt, form.reply.data, _settings())
        except practice.PracticeError as failure:
            error = str(failure)
        else:
            if htmx:
                return render_template("roleplay/_exchange.html", turn=turn, **_player(attempt))
            return redirect(url_for(".attempt", attempt_id=attempt.id, _anchor=f"turn-{turn.index + 1}"))
    else:
        error = next(iter(form.reply.errors), "Write your reply to the customer first.")
    if htmx:
        response = make_response(render_template("roleplay/_current.html", **_player(attempt, form=form, error=error)))
        response.headers.update({"HX-Retarget": "#current", "HX-Reswap": "outerHTML"})
        return response
    return render_template("roleplay/player.html", **_player(attempt, form=form, error=error)), 400


@bp.post("/attempts/<int:attempt_id>/recording")
@requires("practise")
def record(attempt_id: int):
    attempt = _attempt_for_player(attempt_id)
    upload = request.files.get("audio")
    if upload is None:
        return _upload_refused("No recording arrived. Record again, or type your reply.")
    session = db.get_session()
    next_url = url_for(".turn", attempt_id=attempt.id, index=practice.turns_taken(attempt))
    try:
        job = practice.submit_recorded_reply(session, current_app.extensions["coach.jobs.queue"], attempt, upload.stream,
                                             _settings(), current_user, original_name=upload.filename or "",
                                             next_url=next_url)
    except practice.PracticeError as error:
        return _upload_refused(str(error))
    session.refresh(job)
    return render_template("roleplay/_pending.html", job=job), 202


@bp.post("/attempts/<int:attempt_id>/live")
@requires("practise")
def live_start(attempt_id: int):
    """Recording starts: queue the job that transcribes the reply as it streams in; answers where to stream it."""
    attempt = _attempt_for_player(attempt_id)
    next_url = url_for(".turn", attempt_id=attempt.id, index=practice.turns_taken(attempt))
    try:
        job = practice.start_live_reply(db.get_session(), current_app.extensions["coach.jobs.queue"], attempt,
                                        _settings(), current_user, next_url=next_url)
    except practice.PracticeError as error:
        return _upload_refused(str(error))
    return jsonify(job_id=job.id, audio_url=url_for(".live_audio", attempt_id=attempt.id, job_id=job.id)), 201


@bp.post("/attempts/<int:attempt_id>/live/<int:job_id>")
@requires("practise")
def live_audio(attempt_id: int, job_id: int):
    """One streamed piece of the reply (16 kHz 16-bit PCM) at ``offset``; ``final=1`` is Stop."""
    attempt = _attempt_for_player(attempt_id)
    job = job_or_404(job_id)
    if job.payload.get("attempt_id") != attempt.id or job.created_by != current_user.id:
        abort(404)
    if (request.content_length or 0) > LIVE_PIECE_BYTES:
        return _upload_refused("A piece of the recording was too large. Record again, or type your reply.")
    final = request.args.get("final") == "1"
    try:
        received = practice.add_live_audio(_settings(), job, request.args.get("offset", -1, type=int),
                                           request.get_data(cache=False), final)
    except practice.PracticeError as error:
        return _upload_refused(str(error))
    if not final:
        return jsonify(received=received)
    session = db.get_session()
    current_app.extensions["coach.jobs.queue"].stream_ended(job)
    session.refresh(job)
    return render_template("roleplay/_pending.html", job=job), 202


def _upload_refused(message: str):
    return render_template("roleplay/_refused.html", message=message), 400


@bp.get("/attempts/<int:attempt_id>/turns/<int:index>")
@signed_in
def turn(attempt_id: int, index: int):
    attempt = attempt_or_404(attempt_id)
    found = _attempt_turn(attempt, index)
    if not htmx:
        return redirect(url_for(".attempt", attempt_id=attempt.id, _anchor=f"turn-{found.index + 1}"))
    return render_template("roleplay/_exchange.html", turn=found, **_player(attempt))


def _attempt_turn(attempt: Attempt, index: int) -> AttemptTurn:
    found = db.get_session().exec(select(AttemptTurn).where(AttemptTurn.attempt_id == attempt.id,
                                                            AttemptTurn.index == index)).first()
    if found is None:
        abort(404)
    return found


@bp.post("/attempts/<int:attempt_id>/turns/<int:index>/redo")
@requires("practise")
def redo(attempt_id: int, index: int):
    """Answer one customer line again and see the scores before and after; the role-play goes on unchanged."""
    attempt = _attempt_for_player(attempt_id)
    found = _attempt_turn(attempt, index)
    try:
        result, error = practice.redo_reply(db.get_session(), attempt, found, request.form.get("reply", ""), _settings()), None
    except practice.PracticeError as failure:
        result, error = None, str(failure)
    template = "roleplay/_redo.html" if htmx else "roleplay/redo.html"
    page = render_template(template, redo=result, turn=found, **_player(attempt, error=error))
    return page, 422 if error and not htmx else 200


@bp.post("/attempts/<int:attempt_id>/turns/<int:index>/redo/recording")
@requires("practise")
def redo_record(attempt_id: int, index: int):
    """A spoken redo of one reply (voice scenarios): checked, kept and queued; the page then waits on its job."""
    attempt = _attempt_for_player(attempt_id)
    found = _attempt_turn(attempt, index)
    upload = request.files.get("audio")
    if upload is None:
        return _upload_refused("No recording arrived. Record again, or type your new reply.")
    session = db.get_session()
    try:
        job = practice.submit_recorded_redo(
            session, current_app.extensions["coach.jobs.queue"], attempt, found, upload.stream, _settings(),
            current_user, original_name=upload.filename or "",
            next_url=lambda recording_id: url_for(".redo_result", attempt_id=attempt.id, index=found.index,
                                                  recording_id=recording_id))
    except practice.PracticeError as error:
        return _upload_refused(str(error))
    session.refresh(job)
    return render_template("jobs/_progress.html", job=job), 202


@bp.get("/attempts/<int:attempt_id>/turns/<int:index>/redo/<int:recording_id>")
@signed_in
def redo_result(attempt_id: int, index: int, recording_id: int):
    """The before/after scores of a spoken redo once its job is done (while it runs: its progress)."""
    attempt = _attempt_for_player(attempt_id)
    found = _attempt_turn(attempt, index)
    job = practice.redo_job(db.get_session(), attempt, found, recording_id)
    if job is None:
        abort(404)
    if job.status != JobStatus.done:
        if not htmx:
            return redirect(url_for(".attempt", attempt_id=attempt.id, _anchor=f"turn-{found.index + 1}"))
        return render_template("jobs/_progress.html", job=job)
    template = "roleplay/_redo.html" if htmx else "roleplay/redo.html"
    return render_template(template, redo=practice.stored_redo(found, job.result), turn=found, **_player(attempt))


@bp.get("/attempts/<int:attempt_id>/turns/<int:index>/redo/<int:recording_id>/audio")
@signed_in
def redo_audio(attempt_id: int, index: int, recording_id: int):
    """The recording of a spoken redo, for the trainee who made it."""
    attempt = _attempt_for_player(attempt_id)
    session = db.get_session()
    if practice.redo_job(session, attempt, _attempt_turn(attempt, index), recording_id) is None:
        abort(404)
    return _send_stored(session.get(Recording, recording_id), "redo")


@bp.get("/attempts/<int:attempt_id>/turns/<int:index>/audio")
@signed_in
def reply_audio(attempt_id: int, index: int):
    found = _attempt_turn(attempt_or_404(attempt_id), index)
    return _send_stored(db.get_session().get(Recording, found.recording_id) if found.recording_id else None, "reply")


def _send_stored(recording: Recording | None, name: str):
    """A kept recording's file, downloaded as ``name`` with its suffix; 404 when the row or the file is gone."""
    if recording is None:
        abort(404)
    path = _settings().recordings_dir / recording.stored_name
    if not path.is_file():
        abort(404)
    return _send_recording(path, recording.content_type, name + path.suffix)


# --- after the role-play ------------------------------------------------------------------------

@bp.get("/attempts/<int:attempt_id>/debrief")
@signed_in
def debrief(attempt_id: int):
    attempt = attempt_or_404(attempt_id)
    if attempt.status != AttemptStatus.finished:
        flash("The debrief is ready once the role-play reaches an ending.", "info")
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    return render_template("roleplay/debrief.html", **_debrief(attempt))


def _debrief(attempt: Attempt, **extra) -> dict:
    session = db.get_session()
    return {"review": attempt.debrief, "trainee": session.get(User, attempt.user_id),
            "can_override": permissions.can_override_attempt(current_user, attempt, session), **_player(attempt), **extra}


@bp.post("/attempts/<int:attempt_id>/turns/<int:index>/scores/<dimension>")
@requires("override_roleplay")
def override(attempt_id: int, index: int, dimension: str):
    """A trainer overrides (or clears) one score of one reply, with a reason the trainee reads."""
    session = db.get_session()
    attempt = attempt_or_404(attempt_id)
    allowed_or_403(permissions.can_override_attempt(current_user, attempt, session))
    if dimension not in DIMENSIONS:
        abort(404)
    found = _attempt_turn(attempt, index)
    try:
        if request.form.get("action") == "clear":
            roleplay_overrides.clear_override(session, attempt, found, dimension, _settings())
        else:
            roleplay_overrides.override_score(session, attempt, found, dimension, request.form.get("score"),
                                              request.form.get("reason"), current_user, _settings())
    except roleplay_overrides.OverrideError as error:
        session.rollback()
        if not htmx:
            flash(f"{skill_name(dimension)}, turn {index + 1}: {error}", "error")
            return redirect(url_for(".debrief", attempt_id=attempt.id, _anchor=f"review-turn-{index + 1}"))
        return render_template("roleplay/_turn_review.html", **_debrief(attempt, turn=found, error=str(error),
                                                                         error_dimension=dimension)), 422
    if not htmx:
        return redirect(url_for(".debrief", attempt_id=attempt.id, _anchor=f"review-turn-{index + 1}"))
    return render_template("roleplay/_override_saved.html", **_debrief(attempt, turn=found))


@bp.get("/history")
@signed_in
def history():
    session = db.get_session()
    subject = current_user
    if request.args.get("user"):
        subject = get_or_404(User, request.args.get("user", type=int) or 0)
        require_can_see(subject)
    page = paginate_with(lambda offset, limit: practice.attempt_history(session, subject, limit=limit, offset=offset))
    return render_template("roleplay/history.html", subject=subject, attempts=page.items, page=page)


@bp.get("/panel")
@requires("practise")
def recent_panel():
    session = db.get_session()
    return render_template("roleplay/_recent_panel.html", attempts=practice.attempt_history(session, current_user, limit=5),
                           assigned=practice.assigned_scenarios(session, current_user))
