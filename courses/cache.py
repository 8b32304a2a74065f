"""One version token for everything cached about the published curriculum.

Routes, course outlines, breadcrumbs, the catalogue's facets and the site lookup are the same
for every reader and change only when an editor publishes, unpublishes, moves, saves or deletes
a page, changes a site, a view restriction, a course's skills, a skill or a profession. Each
cached entry's key holds the current token; any such change replaces the token, so every entry
is missed at once and rebuilt from the database on the next request (old entries expire).

- The token lives in the shared cache (CACHE_URL: Redis in production), so every web process
  sees a change as soon as it commits. It is replaced both at once (so the writing request,
  and tests inside one transaction, see their own change) and again after the commit (so a
  reader in another process who rebuilt an entry from the old rows while the change was in
  flight cannot keep it).
- A request reads the token once (it is remembered until the request ends, or until this
  process changes the structure itself); code outside requests (tasks, commands) reads it on
  every use.
- Entries are kept in the shared cache and, pickled, in a small per-process memory (by their
  versioned key, so a new token misses them too); each use unpickles a fresh copy, so no
  request ever sees an object another request changed.
"""

import pickle
import threading
import uuid
from collections import OrderedDict

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "courses:structure-version"
# Part of every entry's key: change it when an entry's shape changes, so that processes running
# different code never read each other's entries.
ENTRY_FORMAT = 1
ENTRY_TIMEOUT = 24 * 60 * 60
LOCAL_BYTES = 32 * 1024 * 1024  # per process; the least recently used entries go first

_request = threading.local()
_local_entries: OrderedDict[str, bytes] = OrderedDict()
_local_bytes = 0
_local_lock = threading.Lock()


def request_started(**kwargs) -> None:
    _request.active = True
    _request.version = None


def request_finished(**kwargs) -> None:
    _request.active = False
    _request.version = None


def structure_version() -> str:
    """The current token (created when the cache has none)."""
    if getattr(_request, "active", False) and _request.version is not None:
        return _request.version
    version = cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)
    if getattr(_request, "active", False):
        _request.version = version
    return version


def structure_keys(kind: str, ids) -> dict:
    """Cache keys for entries of `kind` about each of `ids`, under the current token."""
    version = structure_version()
    return {key: f"courses:{kind}:{ENTRY_FORMAT}:{version}:{key}" for key in ids}


def _replace_version() -> None:
    _request.version = None
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def structure_changed(**kwargs) -> None:
    """Invalidate every cached structure entry, now and once the transaction commits."""
    _replace_version()
    transaction.on_commit(_replace_version)


def _local_get(key: str):
    with _local_lock:
        data = _local_entries.get(key)
        if data is not None:
            _local_entries.move_to_end(key)
    return None if data is None else pickle.loads(data)  # noqa: S301 - our own bytes


def _local_set(key: str, value) -> None:
    global _local_bytes
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    with _local_lock:
        previous = _local_entries.pop(key, None)
        if previous is not None:
            _local_bytes -= len(previous)
        _local_entries[key] = data
        _local_bytes += len(data)
        while _local_bytes > LOCAL_BYTES and _local_entries:
            _, dropped = _local_entries.popitem(last=False)
            _local_bytes -= len(dropped)


def cached_entries(kind: str, ids, compute) -> dict:
    """Entries of `kind` by id: from this process's memory, then the shared cache; the rest
    from `compute(missing ids)` (a dict by id), which are then kept in both.
    """
    keys = structure_keys(kind, ids)
    result = {}
    for key_id, key in keys.items():
        value = _local_get(key)
        if value is not None:
            result[key_id] = value
    wanted = [key for key_id, key in keys.items() if key_id not in result]
    if wanted:
        found = cache.get_many(wanted)
        for key_id, key in keys.items():
            if key in found:
                result[key_id] = found[key]
                _local_set(key, found[key])
    missing = [key_id for key_id in keys if key_id not in result]
    if missing:
        fresh = compute(missing)
        entries = {keys[key_id]: fresh[key_id] for key_id in missing}
        cache.set_many(entries, ENTRY_TIMEOUT)
        for key, value in entries.items():
            _local_set(key, value)
        result.update(fresh)
    return result


def connect_signals() -> None:
    """Replace the token on every change that can alter a cached entry; scope the token
    memory to requests.
    """
    from django.core import signals
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import CoursePage, CourseSkill, Skill

    def page_saved_or_deleted(sender, instance, **kwargs):
        if isinstance(instance, Page):
            structure_changed()

    uid = "courses-structure"
    signals.request_started.connect(request_started, dispatch_uid=f"{uid}-request-started")
    signals.request_finished.connect(request_finished, dispatch_uid=f"{uid}-request-finished")
    page_published.connect(structure_changed, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(structure_changed, dispatch_uid=f"{uid}-unpublished")
    post_page_move.connect(structure_changed, dispatch_uid=f"{uid}-moved")
    post_save.connect(page_saved_or_deleted, dispatch_uid=f"{uid}-page-saved", weak=False)
    post_delete.connect(page_saved_or_deleted, dispatch_uid=f"{uid}-page-deleted", weak=False)
    profession = CoursePage._meta.get_field("audience_professions").related_model
    for model in (CourseSkill, Skill, PageViewRestriction, Site, profession):
        name = model._meta.label_lower
        post_save.connect(structure_changed, sender=model, dispatch_uid=f"{uid}-{name}")
        post_delete.connect(structure_changed, sender=model, dispatch_uid=f"{uid}-{name}-del")
    m2m_changed.connect(
        structure_changed,
        sender=CoursePage.audience_professions.through,
        dispatch_uid=f"{uid}-audience",
    )
