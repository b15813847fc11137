"""POST /letters and DELETE /letters/{id}: change the graph (needs the X-API-Key header);
GET /letters/{id}/text: the plain-text rendition a letter's evidence offsets point into."""

from __future__ import annotations

import secrets
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse
from starlette.datastructures import UploadFile

from api.cache import get_cache
from api.deps import SettingsDep, StoreDep
from api.schemas import ErrorOut
from graph.model import Graph
from graph.store import ChangeSummary, GraphStore
from ingest.errors import LetterError
from ingest.formats import sniff_format
from ingest.geography import with_reference_areas
from ingest.load import read_letter_bytes
from ingest.models import RawLetter
from ingest.pipeline import extract_raw
from ingest.renditions import save_text, text_file

router = APIRouter(prefix="/letters", tags=["letters"])

_AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "X-API-Key missing or wrong"},
    403: {"model": ErrorOut, "description": "Writes are off: no REGIOGRAPH_API_KEY configured"},
}


def require_api_key(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="The key set in REGIOGRAPH_API_KEY")] = None,
) -> None:
    if not settings.api_key:
        raise HTTPException(
            403, "writes are off: set REGIOGRAPH_API_KEY on the server and send it in the X-API-Key header"
        )
    if x_api_key is None or not secrets.compare_digest(x_api_key.encode(), settings.api_key.encode()):
        raise HTTPException(
            401, "missing or wrong X-API-Key header", headers={"WWW-Authenticate": "X-API-Key"}
        )


Authorised = Depends(require_api_key)


def _too_large(limit: int) -> HTTPException:
    return HTTPException(
        413, f"the letter is larger than the {limit} byte limit (REGIOGRAPH_MAX_UPLOAD_BYTES)"
    )


async def _read_upload(request: Request, filename: str | None, limit: int) -> tuple[str, bytes]:
    """The file name and bytes of the letter, from a multipart field `file` or a raw body (text/plain,
    application/octet-stream or a document type). The format is sniffed from the bytes later."""
    declared = request.headers.get("content-length")
    # Multipart framing adds a little; a body far over the limit is refused before reading it.
    if declared and declared.isdigit() and int(declared) > limit + 64_000:
        raise _too_large(limit)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(422, "multipart upload without a `file` field holding the letter")
        data = await upload.read(limit + 1)
        name = filename or upload.filename
    elif content_type in RAW_BODY_TYPES:
        buffer = bytearray()
        async for chunk in request.stream():
            buffer.extend(chunk)
            if len(buffer) > limit:
                break
        data = bytes(buffer)
        name = filename
    else:
        raise HTTPException(
            415,
            "send the letter as multipart/form-data (field `file`) or as a raw body (text/plain, "
            "application/octet-stream, application/pdf, application/xml, text/html)",
        )
    if len(data) > limit:
        raise _too_large(limit)
    if not name:
        raise HTTPException(422, "no file name: pass ?filename=<name> with a raw body")
    return name, data


RAW_BODY_TYPES = frozenset(
    {
        "text/plain",
        "application/octet-stream",
        "application/pdf",
        "application/xml",
        "text/xml",
        "text/html",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)


def _extract(name: str, data: bytes) -> tuple[RawLetter, Graph]:
    """Same checks and stages as reading a letter file (ingest.load / ingest.pipeline); the format
    is sniffed from the bytes (PDF, DOCX, XML, HTML, else text), never taken from a header."""
    if not data.strip():
        raise LetterError(name, "empty file")
    try:
        fmt = sniff_format(data)
    except ValueError as exc:
        raise LetterError(name, str(exc)) from None
    raw = read_letter_bytes(data, path=name, source=name, fmt=fmt)
    try:
        return raw, with_reference_areas(extract_raw(raw))  # as `regiograph ingest` stores it
    except LetterError:
        raise
    except Exception as exc:  # name the letter whatever failed
        raise LetterError(name, f"extraction failed: {type(exc).__name__}: {exc}") from exc


def _require_letter(store: GraphStore, node_id: str, asked: str) -> None:
    """404 naming the id as the client wrote it, unless `node_id` is a stored letter."""
    node = store.get_node(node_id)
    if node is None or "Letter" not in node.labels:
        raise HTTPException(404, f"no letter with id {asked!r}; list them with GET /entities?label=Letter")


@router.post(
    "",
    response_model=ChangeSummary,
    summary="Add (or replace) one letter (.txt, .xml, .pdf, .docx, .html; sniffed); returns what changed",
    dependencies=[Authorised],
    responses={
        **_AUTH_RESPONSES,
        413: {"model": ErrorOut, "description": "Larger than REGIOGRAPH_MAX_UPLOAD_BYTES"},
        415: {"model": ErrorOut, "description": "Neither multipart/form-data nor a raw document body"},
        422: {"model": ErrorOut, "description": "Not a readable letter (the reason is named)"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
                "text/plain": {"schema": {"type": "string"}},
            },
        }
    },
)
async def add_letter(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    filename: Annotated[
        str | None,
        Query(max_length=255, description="File name for a raw body; overrides the upload's"),
    ] = None,
) -> ChangeSummary:
    name, data = await _read_upload(request, filename, settings.max_upload_bytes)
    name = PurePath(name.replace("\\", "/")).name  # a base name, never a path
    raw, graph = await run_in_threadpool(_extract, name, data)
    try:
        summary = await run_in_threadpool(store.write_letter, graph)
    finally:
        get_cache(request).changed()  # the next read asks for the new revision, whatever the interval
    await run_in_threadpool(save_text, settings.text_dir, summary.letter, raw.text)
    return summary


@router.get(
    "/{letter_id}/text",
    response_class=PlainTextResponse,
    summary="The letter's plain-text rendition: evidence offsets point into it",
    responses={
        200: {"content": {"text/plain": {}}, "description": "The text, UTF-8"},
        404: {"model": ErrorOut, "description": "No such letter, or no text kept for it"},
    },
)
def letter_text(
    store: StoreDep,
    settings: SettingsDep,
    letter_id: Annotated[
        str,
        Path(
            description="Letter id",
            openapi_examples={"kst": {"summary": "A letter", "value": "letter:kst-29697-153"}},
        ),
    ],
) -> PlainTextResponse:
    lid = letter_id if letter_id.startswith("letter:") else f"letter:{letter_id}"
    _require_letter(store, lid, letter_id)
    path = text_file(settings.text_dir, lid)
    if not path.is_file():
        raise HTTPException(404, f"no text kept for {lid}; ingest the letter again to keep its text")
    return PlainTextResponse(path.read_text(encoding="utf-8"))


@router.delete(
    "/{letter_id}",
    response_model=ChangeSummary,
    summary="Remove a letter and whatever only it supported",
    dependencies=[Authorised],
    responses={**_AUTH_RESPONSES, 404: {"model": ErrorOut, "description": "No such letter"}},
)
def delete_letter(
    request: Request,
    store: StoreDep,
    letter_id: Annotated[
        str,
        Path(
            description="Letter id",
            openapi_examples={"npvr": {"summary": "A letter", "value": "letter:2024D51884"}},
        ),
    ],
) -> ChangeSummary:
    _require_letter(store, letter_id, letter_id)
    try:
        return store.delete_letter(letter_id)
    finally:
        get_cache(request).changed()
