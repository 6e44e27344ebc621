"""Which database engine the black-box tests run on, and fresh databases for them.

KEHU_TEST_ENGINE=sqlite (default): a file in the test's temp dir.
KEHU_TEST_ENGINE=postgresql with KEHU_TEST_PG=postgresql://user@host:port: a new
database per call on that server (scripts/test.sh starts a throwaway cluster), dropped
again by drop_database() or at exit.
"""
import atexit
import os
import subprocess
import unittest
import uuid

ENGINE = os.environ.get("KEHU_TEST_ENGINE", "sqlite")
PG = os.environ.get("KEHU_TEST_PG", "")
_created = []


def on_postgresql():
    return ENGINE == "postgresql"


def _psql(sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", PG + "/postgres", "-c", sql],
                   check=True, capture_output=True, text=True, timeout=120)


def new_database(tmpdir, name="kehu.db"):
    """A path (SQLite) or URL (PostgreSQL) of a database nobody has used."""
    if not on_postgresql():
        return os.path.join(tmpdir, name)
    if not PG:
        raise unittest.SkipTest("KEHU_TEST_ENGINE=postgresql needs KEHU_TEST_PG")
    db = "kehu_" + uuid.uuid4().hex[:16]
    _psql("CREATE DATABASE %s" % db)
    _created.append(db)
    return "%s/%s" % (PG, db)


def drop_database(url):
    if not (on_postgresql() and url and url.startswith(PG + "/")):
        return
    db = url.rsplit("/", 1)[1]
    try:
        _psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)
    except subprocess.SubprocessError:
        pass
    if db in _created:
        _created.remove(db)


def sqlite_only(test):
    """For tests about the SQLite file itself (paths, files left behind)."""
    return unittest.skipIf(on_postgresql(), "about the SQLite file")(test)


@atexit.register
def _drop_all():
    for db in list(_created):
        drop_database("%s/%s" % (PG, db))
