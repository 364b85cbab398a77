"""Routes of QA call review: upload, calls list, review screen, agent scorecards, calibration, CSV export."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlmodel import func, select

from coach import db
from coach.calls.checklist import ITEMS, STEPS
from coach.jobs.call_first_pass import bleeped_name
from coach.models import Calibration, Call, CallStatus, Job, JobStatus, Recording, Review, ReviewStatus, Team, User
from coach.permissions import (
    can_hear_call,
    can_read_scorecard,
    can_resolve_dispute,
    can_respond_to_scorecard,
    disputes_visible_to,
    holders_clause,
    requires,
    scores_blind,
    signed_in,
    visible_teams,
)
from coach.review import agreement as agreements
from coach.review import calibration as calibrations
from coach.review import disputes, scorecards
from coach.review.call_list import BANDS, PAGE_SIZE, CallFilter, find_calls
from coach.review.export import ExportError, check_range, iter_csv, scorecard_rows
from coach.review.forms import UploadForm
from coach.review.intake import CallDetails, IntakeError, receive_call
from coach.review.scorecards import ReviewError
from coach.rubrics import store as rubric_store
from coach.speech.storage import served_type
from coach.web.lookup import allowed_or_403, calibration_or_404, dispute_or_404, get_or_404
from coach.web.navigation import dashboard_panel, nav_link
from coach.web.pagination import paginate_with
from scoring import DIMENSIONS

bp = Blueprint("review", __name__, url_prefix="/calls")
nav_link(bp, "calls", "Calls", "review_calls", order=40)
nav_link(bp, "my_calls", "My calls", "practise", order=40)
nav_link(bp, "calibration_overview", "Calibration", "review_calls", order=41)
nav_link(bp, "dispute_list", "Disputes", "resolve_disputes", order=42)
dashboard_panel(bp, "queue_panel", "Calls to review", "review_calls", order=40)
dashboard_panel(bp, "my_calls_panel", "My reviewed calls", "practise", order=40)


def _settings():
    return current_app.config["COACH"]


def _call(call_id: int) -> Call:
    return get_or_404(Call, call_id)


def _final_review_for_viewer(call: Call, review_id: int) -> Review:
    """A finalised scorecard the signed-in user may read: their own call (agents), their team (trainers), any (QA)."""
    session = db.get_session()
    review = get_or_404(Review, review_id)
    if review.call_id != call.id:
        abort(404)
    allowed_or_403(can_read_scorecard(current_user, review, session.get(User, call.agent_id), session))
    return review


def _error(message: str, template: str, **context):
    """An htmx fragment showing what to fix (422: review.js lets htmx swap it in)."""
    return render_template(template, error=message, **context), 422


# --- calls list and intake ------------------------------------------------------------------

@bp.get("")
@requires("review_calls")
def calls():
    session = db.get_session()
    wanted, problem = _call_filter()
    page = find_calls(session, wanted, _whole(request.args.get("page")) or 1, _whole(request.args.get("per_page")) or PAGE_SIZE)
    kept = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("review/calls.html", page=page, calls=page.calls, wanted=wanted, problem=problem, kept=kept,
                           bands=BANDS, teams=visible_teams(session, current_user),
                           agent_choices=list(session.exec(select(User).where(User.id.in_(select(Call.agent_id)))
                                                           .order_by(User.username))),
                           **_call_context(page.calls))


def _whole(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _call_filter() -> tuple[CallFilter, str]:
    """The calls list's filters from the query string, and what was wrong with them (ignored then)."""
    args = request.args
    try:
        date_from = date.fromisoformat(args["from"]) if args.get("from") else None
        date_to = date.fromisoformat(args["to"]) if args.get("to") else None
    except ValueError:
        date_from = date_to = None
        problem = "Dates are YYYY-MM-DD: the date filter was left out."
    else:
        problem = "The date range ends before it starts, so no call can match." if date_from and date_to and date_to < date_from else ""
    return CallFilter(status=args.get("status", ""), agent_id=_whole(args.get("agent")), team_id=_whole(args.get("team")),
                      date_from=date_from, date_to=date_to, band=_whole(args.get("band")),
                      needs_review=args.get("needs_review") == "1", text=args.get("q", "")), problem


def _call_context(rows: list[Call]) -> dict:
    session = db.get_session()
    ids = {c.agent_id for c in rows}
    agents = {u.id: u for u in session.exec(select(User).where(User.id.in_(ids)))} if ids else {}
    jobs = {j.id: j for j in session.exec(select(Job).where(Job.id.in_([c.job_id for c in rows if c.job_id])))}
    recordings = {r.id: r for r in session.exec(select(Recording).where(Recording.id.in_([c.recording_id for c in rows])))}
    call_ids = [c.id for c in rows]
    mine = {r.call_id: r for r in session.exec(select(Review).where(Review.reviewer_id == current_user.id,
                                                                    Review.call_id.in_(call_ids)))} if call_ids else {}
    blind = {c.id for c in rows if scores_blind(session, current_user, c.id)}
    return {"agents": agents, "jobs": jobs, "recordings": recordings, "my_reviews": mine, "blind_calls": blind}


@bp.route("/upload", methods=["GET", "POST"])
@requires("review_calls")
def upload():
    session = db.get_session()
    form = UploadForm()
    agents = list(session.exec(select(User).where(User.active == True).order_by(User.role, User.username)))  # noqa: E712
    form.agent_id.choices = [(0, "Choose the agent…")] + [(u.id, f"{u.name} ({u.username})") for u in agents]
    refused: list[tuple[str, str]] = []
    if form.validate_on_submit():
        agent = session.get(User, form.agent_id.data)
        files = [f for f in request.files.getlist(form.recordings.name) if f and (f.filename or f.content_length)]
        details = CallDetails(agent, form.call_date.data, form.call_type.data or "",
                              (form.external_id.data or "") if len(files) == 1 else "", form.agent_channel.data)
        accepted = 0
        for upload_file in files:
            try:
                call = receive_call(session, upload_file.stream, upload_file.filename or "", upload_file.mimetype or "",
                                    details, _settings(), current_user)
            except IntakeError as error:
                refused.append((upload_file.filename or "unnamed file", str(error)))
                continue
            _queue_first_pass(call)
            calibrations.maybe_double_score(session, call, current_user, _settings().double_score_percent)
            accepted += 1
        if not files:
            refused.append(("(no file)", "choose at least one recording"))
        if accepted:
            flash(f"{accepted} recording{'s' if accepted > 1 else ''} uploaded; the first pass is running.", "success")
            for name, reason in refused:
                flash(f"{name} was refused: {reason}", "error")
            return redirect(url_for("review.calls"))
    status = 400 if request.method == "POST" else 200
    return render_template("review/upload.html", form=form, refused=refused), status


def _queue_first_pass(call: Call) -> None:
    session = db.get_session()
    queue = current_app.extensions["coach.jobs.queue"]
    job = queue.submit(session, "call_first_pass", {"call_id": call.id, "next_url": url_for("review.call_status", call_id=call.id)},
                       created_by=current_user.id)
    call = session.get(Call, call.id)
    call.job_id = job.id
    session.add(call)
    session.commit()


@bp.get("/<int:call_id>/status")
@requires("review_calls")
def call_status(call_id: int):
    call = _call(call_id)
    job = db.get_session().get(Job, call.job_id) if call.job_id else None
    return render_template("review/_call_status.html", call=call, job=job)


@bp.get("/<int:call_id>/status-cell")
@requires("review_calls")
def status_cell(call_id: int):
    """The calls list's first-pass cell, polled by htmx while the first pass runs."""
    call = _call(call_id)
    return render_template("review/_status_cell.html", call=call, **_call_context([call]))


@bp.get("/<int:call_id>/audio")
@signed_in
def audio(call_id: int):
    """The recording for the player: the bleeped copy when the first pass redacted anything."""
    session = db.get_session()
    call = _call(call_id)
    allowed_or_403(can_hear_call(current_user, call, session))
    recording = session.get(Recording, call.recording_id)
    folder = Path(_settings().recordings_dir)
    bleeped = folder / bleeped_name(recording.stored_name)
    if bleeped.is_file():
        return _send_recording(bleeped, "audio/wav", "call.wav")
    return _send_recording(folder / recording.stored_name, recording.content_type, "call" + Path(recording.stored_name).suffix)


def _send_recording(path: Path, content_type: str, download_name: str) -> Response:
    """Played inline only as an allow-listed audio type, else downloaded; never sniffed into a page."""
    mimetype = served_type(content_type)
    response = send_file(path, mimetype=mimetype or "application/octet-stream", as_attachment=mimetype is None,
                         download_name=download_name, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- the review screen ----------------------------------------------------------------------

def _review_context(call: Call, review: Review) -> dict:
    session = db.get_session()
    return {"call": call, "review": review, "agent": session.get(User, call.agent_id), "steps": STEPS,
            "dimensions": DIMENSIONS, "segments": scorecards.segments_for(call, review),
            "comments": scorecards.comments_for(session, review), "result": call.result,
            "reviewers": list(session.exec(select(User).where(holders_clause("review_calls"), User.active == True))),  # noqa: E712
            "calibration": session.get(Calibration, review.calibration_id) if review.calibration_id else None,
            "blind": scorecards.is_blind(review)}


@bp.get("/<int:call_id>")
@requires("review_calls")
def review_call(call_id: int):
    call = _call(call_id)
    if call.status != CallStatus.ready:
        job = db.get_session().get(Job, call.job_id) if call.job_id else None
        return render_template("review/waiting.html", call=call, job=job)
    review = scorecards.draft_review(db.get_session(), call, current_user)  # opening the screen writes nothing
    return render_template("review/review.html", **_review_context(call, review))


def _my_review_or_start(call: Call) -> Review:
    """The signed-in reviewer's scorecard, saved from the first pass on their first change."""
    try:
        return scorecards.start_review(db.get_session(), call, current_user)
    except ReviewError:
        abort(409)


@bp.post("/<int:call_id>/scores/<dimension>")
@requires("review_calls")
def score(call_id: int, dimension: str):
    call = _call(call_id)
    review = _my_review_or_start(call)
    session = db.get_session()
    try:
        if request.form.get("action") == "accept":
            scorecards.accept_score(session, review, dimension)
        else:
            scorecards.override_score(session, review, dimension, request.form.get("score"), request.form.get("reason"))
    except ReviewError as error:
        return _error(str(error), "review/_score.html", call=call, review=review, dimension=dimension)
    return render_template("review/_score.html", call=call, review=review, dimension=dimension)


@bp.post("/<int:call_id>/checklist/<item>")
@requires("review_calls")
def checklist(call_id: int, item: str):
    call = _call(call_id)
    review = _my_review_or_start(call)
    if item not in ITEMS:
        abort(404)
    try:
        scorecards.set_checklist_item(db.get_session(), review, item, request.form.get("done") == "1", _seconds(request.form.get("at")))
    except ReviewError as error:
        return _error(str(error), "review/_checklist.html", call=call, review=review, steps=STEPS)
    return render_template("review/_checklist.html", call=call, review=review, steps=STEPS)


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@bp.post("/<int:call_id>/speakers")
@requires("review_calls")
def speakers(call_id: int):
    call = _call(call_id)
    review = _my_review_or_start(call)
    session = db.get_session()
    try:
        if request.form.get("action") == "swap":
            scorecards.swap_speakers(session, review, call)
        else:
            scorecards.fix_speaker(session, review, call, int(request.form.get("segment", -1)), request.form.get("speaker", ""))
    except (ReviewError, ValueError) as error:
        return _error(str(error), "review/_transcript.html", call=call, review=review, segments=scorecards.segments_for(call, review))
    return render_template("review/_transcript.html", call=call, review=review, segments=scorecards.segments_for(call, review))


@bp.post("/<int:call_id>/comments")
@requires("review_calls")
def comment(call_id: int):
    call = _call(call_id)
    review = _my_review_or_start(call)
    session = db.get_session()
    try:
        scorecards.add_comment(session, review, request.form.get("text", ""), request.form.get("at"))
    except ReviewError as error:
        return _error(str(error), "review/_comments.html", call=call, review=review, comments=scorecards.comments_for(session, review))
    return render_template("review/_comments.html", call=call, review=review, comments=scorecards.comments_for(session, review))


@bp.post("/<int:call_id>/finalise")
@requires("review_calls")
def finalise(call_id: int):
    call = _call(call_id)
    review = _my_review_or_start(call)
    session = db.get_session()
    # weighted like the first pass it starts from: the agent's team rubric when the call was scored
    rubric = rubric_store.rubric_of_scorecard(session, _settings(), call.result.get("rubric", ""), call.agent_id)
    try:
        scorecards.finalise(session, review, rubric)
    except ReviewError as error:
        flash(str(error), "error")
        return redirect(url_for("review.review_call", call_id=call.id))
    if scorecards.is_blind(review):
        flash("Your blind scorecard is final. The others' scores and the first pass show once everyone has finalised.", "success")
        calibration = session.get(Calibration, review.calibration_id)
        if calibration.kind == calibrations.DOUBLE:
            return redirect(url_for("review.calls"))
        return redirect(url_for("review.calibration", calibration_id=calibration.id))
    flash("Scorecard finalised: the agent can now see it.", "success")
    return redirect(url_for("review.scorecard", call_id=call.id, review_id=review.id))


# --- what agents see ------------------------------------------------------------------------

@bp.get("/<int:call_id>/scorecards/<int:review_id>")
@signed_in
def scorecard(call_id: int, review_id: int):
    call = _call(call_id)
    review = _final_review_for_viewer(call, review_id)
    session = db.get_session()
    agent = session.get(User, call.agent_id)
    response = disputes.response_to(session, review)
    return render_template("review/scorecard.html", call=call, review=review, agent=agent,
                           reviewer=session.get(User, review.reviewer_id), steps=STEPS, dimensions=DIMENSIONS,
                           segments=scorecards.segments_for(call, review), result=call.result,
                           comments=scorecards.comments_for(session, review), response=response,
                           may_respond=response is None and can_respond_to_scorecard(current_user, review, call),
                           may_resolve=response is not None and can_resolve_dispute(current_user, response, agent, session),
                           resolver=session.get(User, response.resolved_by) if response and response.resolved_by else None)


def _my_final_scorecards(limit: int | None = None) -> list[tuple[Review, Call]]:
    query = (select(Review, Call).join(Call, Review.call_id == Call.id)
             .where(Call.agent_id == current_user.id, Review.status == ReviewStatus.final, Review.calibration_id.is_(None))
             .order_by(Review.finalised_at.desc()))
    return list(db.get_session().exec(query.limit(limit) if limit else query))


@bp.get("/mine")
@signed_in
def my_calls():
    return render_template("review/my_calls.html", rows=_my_final_scorecards())


@bp.get("/panels/mine")
@signed_in
def my_calls_panel():
    return render_template("review/_panel_mine.html", rows=_my_final_scorecards(5))


@bp.get("/panels/queue")
@requires("review_calls")
def queue_panel():
    session = db.get_session()
    reviewed = select(Review.call_id).where(Review.reviewer_id == current_user.id, Review.status == ReviewStatus.final)
    waiting = list(session.exec(select(Call).where(Call.status == CallStatus.ready, Call.id.not_in(reviewed))
                                .order_by(Call.created_at).limit(5)))
    processing = session.exec(select(func.count()).select_from(Call).where(Call.status == CallStatus.processing)).one()
    return render_template("review/_panel_queue.html", calls=waiting, processing=processing, **_call_context(waiting))


# --- calibration ----------------------------------------------------------------------------

@bp.get("/<int:call_id>/calibrations/new")
@requires("review_calls")
def new_calibration(call_id: int):
    """Choose the reviewers of a calibration without opening the call, so the lead is not anchored either."""
    call = _call(call_id)
    reviewers = list(db.get_session().exec(select(User).where(holders_clause("review_calls"), User.active == True)))  # noqa: E712
    return render_template("review/new_calibration.html", call=call, reviewers=reviewers)


@bp.post("/<int:call_id>/calibrations")
@requires("review_calls")
def calibrate(call_id: int):
    call = _call(call_id)
    session = db.get_session()
    ids = [int(i) for i in request.form.getlist("reviewer_ids") if i.isdigit()]
    reviewers = list(session.exec(select(User).where(User.id.in_(ids)))) if ids else []
    try:
        calibration = calibrations.assign(session, call, current_user, reviewers, request.form.get("note", ""))
    except ReviewError as error:
        flash(str(error), "error")
        return redirect(url_for("review.review_call", call_id=call.id))
    flash("Calibration set up: each reviewer scores the call on their own.", "success")
    return redirect(url_for("review.calibration", calibration_id=calibration.id))


@bp.get("/calibrations/<int:calibration_id>")
@requires("review_calls")
def calibration(calibration_id: int):
    session = db.get_session()
    item = calibration_or_404(calibration_id)
    call = _call(item.call_id)
    reviews = calibrations.reviews_of(session, item)
    names = {u.id: u.name for u in session.exec(select(User))}
    return render_template("review/calibration.html", calibration=item, call=call, reviews=reviews, names=names,
                           agreement=calibrations.agreement(session, item, call))


@bp.get("/calibration")
@requires("review_calls")
def calibration_overview():
    """Agreement over every finished calibration: reviewers with each other and with the AI, per dimension."""
    rated = calibrations.rated_calls(db.get_session())
    return render_template("review/calibration_overview.html", rows=agreements.report(rated), alerts=agreements.alerts(rated),
                           rated=rated, ai_name=agreements.AI)


# --- disputes -------------------------------------------------------------------------------

@bp.post("/<int:call_id>/scorecards/<int:review_id>/response")
@signed_in
def respond(call_id: int, review_id: int):
    call = _call(call_id)
    review = _final_review_for_viewer(call, review_id)
    allowed_or_403(can_respond_to_scorecard(current_user, review, call))
    try:
        disputes.respond(db.get_session(), review, current_user, request.form.get("kind", ""), request.form.get("reason", ""))
    except ReviewError as error:
        flash(str(error), "error")
    else:
        flash("Thank you: your answer is on the scorecard.", "success")
    return redirect(url_for("review.scorecard", call_id=call.id, review_id=review.id))


@bp.get("/disputes")
@requires("resolve_disputes")
def dispute_list():
    session = db.get_session()
    page = paginate_with(lambda offset, limit: disputes_visible_to(session, current_user, offset, limit))
    rows = page.items
    reviews = {r.id: r for r in session.exec(select(Review).where(Review.id.in_([d.review_id for d in rows])))} if rows else {}
    named = {d.agent_id for d in rows} | {d.resolved_by for d in rows if d.resolved_by is not None}
    people = {u.id: u for u in session.exec(select(User).where(User.id.in_(named)))} if named else {}
    return render_template("review/disputes.html", rows=rows, reviews=reviews, people=people, page=page)


@bp.post("/disputes/<int:response_id>/resolve")
@requires("resolve_disputes")
def resolve_dispute(response_id: int):
    session = db.get_session()
    response = dispute_or_404(response_id)
    review = session.get(Review, response.review_id)
    call = session.get(Call, review.call_id)
    rubric = rubric_store.rubric_of_scorecard(session, _settings(), call.result.get("rubric", ""), call.agent_id)
    try:
        disputes.resolve(session, response, review, current_user, request.form.get("outcome", ""), request.form.get("reason", ""),
                         rubric, request.form.get("dimension", ""), request.form.get("score"))
    except ReviewError as error:
        session.rollback()
        flash(str(error), "error")
    else:
        flash("Dispute resolved: the agent sees the outcome on the scorecard.", "success")
    return redirect(url_for("review.scorecard", call_id=call.id, review_id=review.id))


# --- export ---------------------------------------------------------------------------------

@bp.get("/export")
@requires("review_calls")
def export():
    session = db.get_session()
    if request.args.get("format") != "csv":
        return render_template("review/export.html", teams=list(session.exec(select(Team).order_by(Team.name))),
                               agents=list(session.exec(select(User).order_by(User.username))))
    try:
        date_from = date.fromisoformat(request.args["from"]) if request.args.get("from") else None
        date_to = date.fromisoformat(request.args["to"]) if request.args.get("to") else None
        team_id = int(request.args["team"]) if request.args.get("team") else None
        agent_id = int(request.args["agent"]) if request.args.get("agent") else None
    except ValueError:
        return render_template("error.html", code=400, title="Bad filter",
                               message="Dates are YYYY-MM-DD; team and agent are chosen from the lists."), 400
    try:
        check_range(date_from, date_to)
    except ExportError as error:
        return render_template("error.html", code=400, title="Date range refused", message=str(error)), 400
    rows = scorecard_rows(session, date_from, date_to, team_id, agent_id)
    name = f"coach-scorecards-{date_from or 'start'}-{date_to or 'today'}.csv"
    return Response(stream_with_context(iter_csv(rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.app_template_filter("call_clock")
def clock(seconds) -> str:
    if seconds is None:
        return "–"
    minutes, rest = divmod(float(seconds), 60)
    return f"{int(minutes)}:{int(rest):02d}"


@bp.app_template_global("call_job_failed")
def job_failed(job) -> bool:
    return job is not None and job.status == JobStatus.failed

