"""Shared state out of the processes: what one process writes to the cache or a session,
another reads (so any app server serves any request); storages and the broker by settings."""

import json

import pytest
import redis

from tests.faults.harness import TEST_BROKER_URL

SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "ratelimit": settings.CACHES["ratelimit"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "storages": {k: v["BACKEND"] for k, v in settings.STORAGES.items()},
    "attachments": settings.STORAGES["attachments"].get("OPTIONS", {}),
    "tasks": settings.TASKS["default"]["BACKEND"],
}, default=str))
"""

WRITE = """
from django.core.cache import cache
from importlib import import_module
from django.conf import settings
cache.set("maillage-test-partage", "écrit par le processus A", 60)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store["qui"] = "conseillère"
store.save()
print(store.session_key)
"""

READ = """
from django.core.cache import cache
from importlib import import_module
from django.conf import settings
store = import_module(settings.SESSION_ENGINE).SessionStore(session_key="{key}")
print(cache.get("maillage-test-partage"), "|", store.get("qui"))
"""


def _settings(instance):
    return json.loads(instance.shell(SETTINGS).strip().splitlines()[-1])


@pytest.mark.parametrize("cache_url", ["", TEST_BROKER_URL])
def test_a_session_and_a_cache_entry_written_by_one_process_are_read_by_another(
    instance_factory, cache_url
):
    instance = instance_factory(MAILLAGE_CACHE_URL=cache_url)
    if cache_url:
        redis.Redis.from_url(cache_url).flushdb()  # the tests' own Redis database
    instance.manage("migrate", "--noinput")
    instance.manage("createcachetable")
    key = instance.shell(WRITE).strip().splitlines()[-1]
    # Another process (another app server): the same entry and the same session.
    read = instance.shell(READ.format(key=key)).strip().splitlines()[-1]
    assert read == "écrit par le processus A | conseillère"
    shown = _settings(instance)
    if cache_url:
        assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
        assert shown["sessions"] == "django.contrib.sessions.backends.cached_db"
    else:
        assert shown["cache"] == "django.core.cache.backends.db.DatabaseCache"
        assert shown["sessions"] == "django.contrib.sessions.backends.db"


def test_uploads_go_to_a_shared_folder_by_default_and_to_s3_by_settings(instance_factory):
    instance = instance_factory(
        MAILLAGE_MEDIA_ROOT="/srv/partage", MAILLAGE_ATTACHMENTS_ROOT="/srv/pieces-jointes"
    )
    shown = _settings(instance)
    assert shown["storages"]["default"] == "django.core.files.storage.FileSystemStorage"
    # Personal data: a shared folder of its own, never under the media folder.
    assert shown["attachments"]["location"] == "/srv/pieces-jointes"
    instance.env.update(MAILLAGE_STORAGE="s3", MAILLAGE_S3_BUCKET="maillage")
    shown = _settings(instance)
    assert shown["storages"]["default"] == "storages.backends.s3.S3Storage"
    assert shown["storages"]["attachments"] == "storages.backends.s3.S3Storage"
    assert shown["attachments"]["location"] == "attachments"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MAILLAGE_STORAGE": "s3"}, "MAILLAGE_S3_BUCKET manque"),
        (
            {"MAILLAGE_TASK_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"},
            "« amqp:// » n'est pas pris en charge ; seul Redis (redis://… ou rediss://…)",
        ),
        ({"MAILLAGE_CACHE_URL": "memcached://127.0.0.1"}, "seule une adresse redis://"),
    ],
)
def test_a_setting_that_cannot_work_stops_the_start_with_a_french_reason(
    instance_factory, env, message
):
    instance = instance_factory(**env)
    result = instance.manage("check", check=False)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_broker_url_switches_the_task_backend(instance_factory):
    assert _settings(instance_factory())["tasks"] == "django_tasks_db.DatabaseBackend"
    shown = _settings(instance_factory("broker", MAILLAGE_TASK_BROKER_URL=TEST_BROKER_URL))
    assert shown["tasks"] == "maillage.jobs.broker.BrokerBackend"
