"""Dashboard "Tool data" pages: overview, quick connect, source management, smart integration
and data templates. The browser counterpart of ``keyvex.data.routes`` (session cookie and
CSRF instead of Bearer tokens), calling the same service functions, which scope every source
to the signed-in creator (a foreign id is simply not found)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from keyvex.data import _page_helpers as helpers
from keyvex.data import service, sync
from keyvex.data._types import Dataset, SourceError
from keyvex.data.library import CREATE_FROM_DATA, data_templates, get_data_template
from keyvex.errors import Conflict, Invalid, KeyvexError
from keyvex.web.deps import AppDep, CsrfChecked, CurrentUser
from keyvex.web.forms import form_errors
from keyvex.web.templating import render

router = APIRouter(include_in_schema=False)
#: Served at ``/static/data`` (data.js, data.css).
STATIC_DIR = Path(__file__).parent / "static"
Text = Annotated[str, Query(max_length=200)]
BASE = "/dashboard/data"
NOTICES = {
    "saved": "Saved.",
    "paused": "Paused: the source is not synced until you resume it.",
    "resumed": "Resumed: the source syncs on its schedule again.",
    "synced": "The sync has finished.",
    "tested": "The connection test passed.",
    "deleted": "The source was deleted.",
    "mappings": "Mappings saved: co-creation uses them as its defaults.",
}


def _see(path: str, done: str = "") -> RedirectResponse:
    return RedirectResponse(path + (f"?done={done}" if done else ""), status_code=303)


def _preview(dataset: Dataset, elapsed: float | None = None) -> dict[str, Any]:
    return {
        "columns": dataset.columns,
        "rows": dataset.rows[:10],
        "row_count": dataset.row_count,
        "warnings": dataset.warnings,
        "response_ms": elapsed,
    }


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _user_error(exc: KeyvexError) -> None:
    """Errors a form answers in place (a source's failures, invalid settings); anything
    else (not found, forbidden, server trouble) goes to the error pages."""
    if isinstance(exc, SourceError):
        return
    if exc.status >= 500 or exc.status in (401, 403, 404):
        raise exc


def _problem(exc: KeyvexError) -> JSONResponse:
    """Errors of the script-facing endpoints, as JSON the page script shows."""
    return JSONResponse({"message": exc.message, "fields": exc.fields}, status_code=exc.status)


@router.get("/dashboard/data")
async def overview(request: Request, app: AppDep, user: CurrentUser, done: Text = "") -> Response:
    cards = await helpers.source_cards(app, user)
    context = {
        "cards": cards,
        "totals": helpers.totals(cards),
        "labels": helpers.STATUS_LABELS,
        "short_time": helpers.short_time,
        "notice": NOTICES.get(done, ""),
    }
    return render(request, "data/overview.html", context)


def _placeable(specs: list[Any]) -> list[str]:
    """The form fields that show their own errors (so those are not repeated in the banner)."""
    return [spec.key for spec in specs] + ["name", "frequency"]


def _wizard(request: Request, source_type: str, status: int = 200, **extra: Any) -> Response:
    kind = helpers.kind_or_404(source_type)
    context = {
        "kind": kind,
        "specs": helpers.config_fields(kind),
        "values": {},
        "errors": {},
        "frequencies": helpers.FREQUENCY_LABELS,
        "preview": None,
        **extra,
    }
    return render(request, "data/wizard.html", context, status_code=status)


@router.get("/dashboard/data/new")
async def new_source(request: Request, user: CurrentUser, type: Text = "") -> Response:
    if not type:
        return render(request, "data/choose.html", {"types": helpers.source_types()})
    return _wizard(request, type)


def _wizard_input(source_type: str, form: dict[str, str]) -> tuple[Any, ...]:
    specs = helpers.config_fields(helpers.kind_or_404(source_type))
    return (specs, *helpers.parse_settings(specs, form))


@router.post("/dashboard/data/test", dependencies=[CsrfChecked])
async def test_settings(request: Request, app: AppDep, user: CurrentUser) -> Response:
    """Test settings before saving: JSON for the page script, else the wizard re-rendered."""
    form = await helpers.form_dict(request)
    source_type = form.get("source_type", "")
    specs, config, secrets, problems = _wizard_input(source_type, form)
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        if problems:
            raise Invalid("Some settings are not valid.", fields=problems)
        dataset, elapsed = await service.fetch_preview(app, user, source_type, config, secrets)
    except KeyvexError as exc:
        _user_error(exc)
        errors = helpers.error_fields(exc, specs)
        if wants_json:
            return JSONResponse({"ok": False, "message": exc.message, "fields": errors}, 422)
        placed = form_errors(exc, _placeable(specs), fields=errors, placed="errors")
        return _wizard(request, source_type, 422, values=form, **placed)
    preview = _preview(dataset, elapsed)
    if wants_json:
        return JSONResponse({"ok": True, **preview})
    return _wizard(request, source_type, values=form, preview=preview)


@router.post("/dashboard/data/new", dependencies=[CsrfChecked])
async def create(request: Request, app: AppDep, user: CurrentUser) -> Response:
    """Save a new source, start its first sync and show its page (which follows the job)."""
    form = await helpers.form_dict(request)
    source_type = form.get("source_type", "")
    specs, config, secrets, problems = _wizard_input(source_type, form)
    try:
        if problems:
            raise Invalid("Some settings are not valid.", fields=problems)
        source = await service.create_source(
            app, user, name=form.get("name", ""), source_type=source_type, config=config,
            secrets=secrets, frequency=form.get("frequency", "manual"),
        )  # fmt: skip
    except KeyvexError as exc:
        _user_error(exc)
        errors = helpers.error_fields(exc, specs)
        placed = form_errors(exc, _placeable(specs), fields=errors, placed="errors")
        return _wizard(request, source_type, 422, values=form, **placed)
    job_id = await sync.start_sync(app, user.id, source.id, reason="first sync")
    return RedirectResponse(f"{BASE}/{source.id}?job={job_id}", status_code=303)


@router.post("/dashboard/data/uploads", status_code=201, dependencies=[CsrfChecked])
async def upload(request: Request, app: AppDep, user: CurrentUser, filename: Text) -> Response:
    """A file streamed as the raw body (the page's script sends it with X-CSRF-Token)."""
    try:
        info = await service.store_upload(app, user, filename, request.stream())
    except KeyvexError as exc:
        return _problem(exc)
    return JSONResponse(await helpers.upload_answer(app, info), status_code=201)


@router.get("/dashboard/data/templates")
async def templates(request: Request, user: CurrentUser) -> Response:
    from keyvex.tools import get_template

    pairs = {
        t.id: None if t.pairs_with == CREATE_FROM_DATA else get_template(t.pairs_with).title
        for t in data_templates()
    }
    context = {"templates": data_templates(), "pairs": pairs}
    return render(request, "data/templates.html", context)


@router.get("/dashboard/data/templates/{template_id}/example")
async def template_example(template_id: str, user: CurrentUser) -> Response:
    template = get_data_template(template_id)
    return Response(
        template.path.read_bytes(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{template.file}"'},
    )


@router.post("/dashboard/data/templates/{template_id}/use", dependencies=[CsrfChecked])
async def use_template(template_id: str, app: AppDep, user: CurrentUser) -> Response:
    """A file source from the template's example file, synced at once."""
    template = get_data_template(template_id)
    info = await service.store_upload(app, user, template.file, _one(template.path.read_bytes()))
    source = await service.create_source(
        app, user, name=template.title, source_type="file",
        config={"blob_key": info["blob_key"], "filename": info["filename"]},
    )  # fmt: skip
    job_id = await sync.start_sync(app, user.id, source.id, reason="first sync")
    return RedirectResponse(f"{BASE}/{source.id}?job={job_id}", status_code=303)


async def _source_page(
    request: Request, app: AppDep, user: CurrentUser, source_id: str, status: int = 200,
    **extra: Any,
) -> Response:  # fmt: skip
    source = await service.get_source(app, user, source_id)
    kind = helpers.kind_or_404(source.source_type)
    specs = helpers.editable_fields(kind, source.config)
    rows = await service.preview_rows(app, user, source_id, 10)
    context = {
        "source": source,
        "kind": kind,
        "status": helpers.status_of(source),
        "labels": helpers.STATUS_LABELS,
        "specs": specs,
        "values": {"name": source.name, **helpers.form_values(specs, source.config)},
        "errors": {},
        "frequencies": helpers.FREQUENCY_LABELS,
        "tools": await helpers.bound_tool_rows(app, user, source_id),
        "activity": await service.activity(app, user, source_id, limit=50),
        "rows": _preview(rows) if rows else None,
        "has_analysis": source.snapshot is not None and bool(source.snapshot.analysis_key),
        "short_time": helpers.short_time,
        "job": None,
        **extra,
    }
    return render(request, "data/source.html", context, status_code=status)


@router.get("/dashboard/data/{source_id}")
async def source_page(
    request: Request, source_id: str, app: AppDep, user: CurrentUser, done: Text = "",
    job: Text = "",
) -> Response:  # fmt: skip
    running = job if job.isalnum() else None
    notice = NOTICES.get(done, "")
    return await _source_page(request, app, user, source_id, notice=notice, job=running)


@router.post("/dashboard/data/{source_id}/settings", dependencies=[CsrfChecked])
async def settings(request: Request, source_id: str, app: AppDep, user: CurrentUser) -> Response:
    source = await service.get_source(app, user, source_id)
    form = await helpers.form_dict(request)
    specs = helpers.config_fields(helpers.kind_or_404(source.source_type))
    config, secrets, problems = helpers.parse_settings(specs, form)
    try:
        if problems:
            raise Invalid("Some settings are not valid.", fields=problems)
        name, frequency = form.get("name", ""), form.get("frequency", source.frequency)
        merged = {**source.config, **config}
        await service.update_source(
            app, user, source_id, name=None if name == source.name else name,
            config=None if merged == source.config else merged, secrets=secrets or None,
            frequency=None if frequency == source.frequency else frequency,
        )  # fmt: skip
    except KeyvexError as exc:
        _user_error(exc)
        errors = helpers.error_fields(exc, specs)
        placed = form_errors(exc, _placeable(specs), fields=errors, placed="errors")
        return await _source_page(request, app, user, source_id, 422, values=form, **placed)
    return _see(f"{BASE}/{source_id}", "saved")


@router.post("/dashboard/data/{source_id}/pause", dependencies=[CsrfChecked])
async def pause(source_id: str, app: AppDep, user: CurrentUser) -> Response:
    await service.update_source(app, user, source_id, paused=True)
    return _see(f"{BASE}/{source_id}", "paused")


@router.post("/dashboard/data/{source_id}/resume", dependencies=[CsrfChecked])
async def resume(source_id: str, app: AppDep, user: CurrentUser) -> Response:
    await service.update_source(app, user, source_id, paused=False)
    return _see(f"{BASE}/{source_id}", "resumed")


@router.post("/dashboard/data/{source_id}/sync", dependencies=[CsrfChecked])
async def start_sync(source_id: str, app: AppDep, user: CurrentUser) -> Response:
    await service.get_source(app, user, source_id)
    job_id = await sync.start_sync(app, user.id, source_id)
    return RedirectResponse(f"{BASE}/{source_id}?job={job_id}", status_code=303)


@router.get("/dashboard/data/{source_id}/jobs/{job_id}")
async def job(source_id: str, job_id: str, app: AppDep, user: CurrentUser) -> Response:
    """The sync job's status and progress text, polled by the source page."""
    await service.get_source(app, user, source_id)
    answer = await helpers.job_status(app, source_id, job_id)
    return JSONResponse(answer, headers={"Cache-Control": "no-store"})


@router.post("/dashboard/data/{source_id}/test", dependencies=[CsrfChecked])
async def test(request: Request, source_id: str, app: AppDep, user: CurrentUser) -> Response:
    try:
        dataset, elapsed = await service.test_source(app, user, source_id)
    except KeyvexError as exc:
        _user_error(exc)
        return await _source_page(request, app, user, source_id, 200, error=exc.message)
    return await _source_page(
        request, app, user, source_id, notice=NOTICES["tested"] + f" ({elapsed:.0f} ms)",
        tested=_preview(dataset, elapsed),
    )  # fmt: skip


@router.post("/dashboard/data/{source_id}/file", dependencies=[CsrfChecked])
async def replace_file(
    request: Request, source_id: str, app: AppDep, user: CurrentUser, filename: Text = ""
) -> Response:
    """A new version of a file source's file (raw body), then a sync: answers the job id."""
    try:
        await service.get_source(app, user, source_id)
        info = await service.store_upload(app, user, filename, request.stream())
        await service.replace_file(app, user, source_id, info)
    except KeyvexError as exc:
        return _problem(exc)
    job_id = await sync.start_sync(app, user.id, source_id, reason="new file")
    return JSONResponse({"job_id": job_id, "filename": info["filename"]}, status_code=202)


@router.get("/dashboard/data/{source_id}/delete")
async def delete_page(request: Request, source_id: str, app: AppDep, user: CurrentUser) -> Response:
    source = await service.get_source(app, user, source_id)
    tools = await helpers.bound_tool_rows(app, user, source_id)
    return render(request, "data/delete.html", {"source": source, "tools": tools})


@router.post("/dashboard/data/{source_id}/delete", dependencies=[CsrfChecked])
async def delete(request: Request, source_id: str, app: AppDep, user: CurrentUser) -> Response:
    source = await service.get_source(app, user, source_id)
    try:
        await service.delete_source(app, user, source_id)
    except Conflict as exc:
        tools = await helpers.bound_tool_rows(app, user, source_id)
        context = {"source": source, "tools": tools, "error": exc.message}
        return render(request, "data/delete.html", context, status_code=409)
    return _see(BASE, "deleted")


async def _analysis_page(
    request: Request, app: AppDep, user: CurrentUser, source_id: str, status: int = 200,
    **extra: Any,
) -> Response:  # fmt: skip
    source = await service.get_source(app, user, source_id)
    analysis = await service.get_analysis(app, user, source_id)
    context = {
        "source": source,
        "analysis": analysis,
        "mappings": helpers.mapping_rows(source, analysis),
        "kinds": helpers.MAPPING_LABELS,
        "brief": f"A recommendation quiz for my {source.name}",
        "errors": {},
        **extra,
    }
    return render(request, "data/analysis.html", context, status_code=status)


@router.get("/dashboard/data/{source_id}/analysis")
async def analysis(
    request: Request, source_id: str, app: AppDep, user: CurrentUser, done: Text = ""
) -> Response:
    return await _analysis_page(request, app, user, source_id, notice=NOTICES.get(done, ""))


@router.post("/dashboard/data/{source_id}/mappings", dependencies=[CsrfChecked])
async def mappings(request: Request, source_id: str, app: AppDep, user: CurrentUser) -> Response:
    await service.get_source(app, user, source_id)
    chosen = helpers.parse_mappings(await helpers.form_dict(request))
    try:
        await service.save_mappings(app, user, source_id, chosen)
    except KeyvexError as exc:
        _user_error(exc)
        return await _analysis_page(
            request, app, user, source_id, 422, error=exc.message, errors=exc.fields
        )
    return _see(f"{BASE}/{source_id}/analysis", "mappings")


@router.post("/dashboard/data/{source_id}/create-tool", dependencies=[CsrfChecked])
async def create_tool(request: Request, source_id: str, app: AppDep, user: CurrentUser) -> Response:
    """Start an AI co-creation session with this source attached; continue on /create."""
    from keyvex.cocreate.service import start_session

    await service.get_source(app, user, source_id)
    form = await helpers.form_dict(request)
    try:
        session = await start_session(app, user, form.get("brief", ""), source_id=source_id)
    except KeyvexError as exc:
        _user_error(exc)
        return await _analysis_page(request, app, user, source_id, 422, brief_error=exc.message)
    return RedirectResponse(f"/create/{session.id}", status_code=303)
