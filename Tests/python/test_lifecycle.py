"""Client lifecycle, the local store, versions, statuses, options and logging."""
import ctypes
import os
import sqlite3
import stat

import pytest

import carnet
from carnet import C


def test_version_matches_the_header(lib):
    assert lib.carnet_version_string().decode() == C["CARNET_VERSION_STRING"]
    expected = C["CARNET_VERSION_MAJOR"] * 10000 + C["CARNET_VERSION_MINOR"] * 100 + C["CARNET_VERSION_PATCH"]
    assert lib.carnet_version_number() == expected


def test_every_status_has_its_own_name(lib):
    statuses = {v: k for k, v in carnet.STATUS_NAMES.items()}
    assert len(statuses) >= 19
    for name, value in statuses.items():
        assert lib.carnet_status_string(value).decode() == name
    assert lib.carnet_status_string(9999).decode() == "CARNET_E_UNKNOWN"
    assert lib.carnet_status_string(-1).decode() == "CARNET_E_UNKNOWN"


def test_options_init_matches_the_static_initialiser(lib):
    options = carnet.Options()
    ctypes.memset(ctypes.byref(options), 0xAB, ctypes.sizeof(options))
    assert lib.carnet_options_init(ctypes.byref(options), C["CARNET_OPTIONS_VERSION"]) == C["CARNET_OK"]
    assert options.version == C["CARNET_OPTIONS_VERSION"]
    assert options.store_directory is None and options.service_url is None
    assert options.locale == C["CARNET_LOCALE_FR"]
    assert options.log_level == C["CARNET_LOG_WARNING"]
    assert options.connect_timeout_ms == 0 and not options.log_callback


def test_open_creates_a_private_store_in_wal_mode(lib, tmp_path):
    store = tmp_path / "store"
    with carnet.Client(lib, str(store)) as client:
        assert client.handle
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o700
    db_path = store / "carnet.sqlite"
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [row[0] for row in db.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == list(range(1, len(versions) + 1)) and versions
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"link", "store_state", "schema_version"} <= tables
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()


def test_wal_and_shm_files_are_private_while_open(lib, tmp_path):
    store = tmp_path / "store"
    with carnet.Client(lib, str(store)) as client:
        client.link_set("p", "6f9619ff-8b86-d011-b42d-00c04fc964ff")
        for name in ("carnet.sqlite-wal", "carnet.sqlite-shm"):
            path = store / name
            assert path.exists(), name
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, name


def test_reopening_keeps_data_and_does_not_migrate_twice(lib, tmp_path):
    store = str(tmp_path / "store")
    with carnet.Client(lib, store) as client:
        client.link_set("patient-42", "6F9619FF-8B86-D011-B42D-00C04FC964FF")
    with carnet.Client(lib, store) as client:
        assert client.link_get("patient-42") == "6f9619ff-8b86-d011-b42d-00c04fc964ff"
    db = sqlite3.connect(os.path.join(store, "carnet.sqlite"))
    try:
        versions = [row[0] for row in db.execute("SELECT version FROM schema_version")]
        assert len(versions) == len(set(versions))
    finally:
        db.close()


def test_a_store_from_a_newer_version_is_refused_untouched(lib, tmp_path):
    store = tmp_path / "store"
    carnet.Client(lib, str(store)).close()
    db_path = store / "carnet.sqlite"
    db = sqlite3.connect(db_path)
    db.execute("INSERT INTO schema_version (version, applied_at) VALUES (999, 0)")
    db.commit()
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(carnet.CarnetFailure) as failure:
        carnet.Client(lib, str(store))
    assert failure.value.status == C["CARNET_E_STORAGE"]
    assert failure.value.domain == C["CARNET_DOMAIN_STORAGE"]
    assert "plus récente" in failure.value.message
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("make_path, why", [
    (lambda tmp: tmp / "missing-parent" / "store", "parent does not exist"),
    (lambda tmp: (tmp / "a-file").write_text("x") and tmp / "a-file", "path is a file"),
])
def test_unusable_store_directory_is_a_storage_error(lib, tmp_path, make_path, why):
    path = make_path(tmp_path)
    with pytest.raises(carnet.CarnetFailure) as failure:
        carnet.Client(lib, str(path))
    assert failure.value.status == C["CARNET_E_STORAGE"], why
    assert "dossier de stockage" in failure.value.message


def test_a_symlinked_database_file_is_refused(lib, tmp_path):
    store = tmp_path / "store"
    store.mkdir(mode=0o700)
    target = tmp_path / "elsewhere.sqlite"
    target.write_bytes(b"")
    os.symlink(target, store / "carnet.sqlite")
    with pytest.raises(carnet.CarnetFailure) as failure:
        carnet.Client(lib, str(store))
    assert failure.value.status == C["CARNET_E_STORAGE"]


def test_messages_are_french_by_default_and_english_on_request(lib, tmp_path):
    with carnet.Client(lib, str(tmp_path / "fr")) as client:
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.link_get("nobody")
        assert failure.value.status == C["CARNET_E_NOT_FOUND"]
        assert failure.value.message == "Aucun carnet de vaccination électronique n'est associé à ce patient."
    with carnet.Client(lib, str(tmp_path / "en"), locale=C["CARNET_LOCALE_EN"]) as client:
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.link_get("nobody")
        assert failure.value.message == "No electronic vaccination record is linked to this patient."


def test_links_set_get_replace_remove(lib, store):
    with carnet.Client(lib, store) as client:
        client.link_set("p1", "11111111-2222-3333-4444-555555555555")
        client.link_set("p1", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        assert client.link_get("p1") == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
        client.link_set("Dupont Élodie #7", "11111111-2222-3333-4444-555555555555")
        assert client.link_get("Dupont Élodie #7") == "11111111-2222-3333-4444-555555555555"
        client.link_remove("p1")
        client.link_remove("p1")  # removing twice is not an error
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.link_get("p1")
        assert failure.value.status == C["CARNET_E_NOT_FOUND"]


@pytest.mark.parametrize("bad", ["", "not-a-uuid", "6f9619ff-8b86-d011-b42d-00c04fc964f", "6f9619ff8b86d011b42d00c04fc964ff",
                                 "6f9619ff-8b86-d011-b42d-00c04fc964fg"])
def test_link_set_refuses_what_is_not_a_uuid(lib, store, bad):
    with carnet.Client(lib, store) as client:
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.link_set("p1", bad)
        assert failure.value.status == C["CARNET_E_INVALID_ARGUMENT"]
        assert "carnet_id" in failure.value.message


def test_log_callback_receives_lines_at_the_chosen_level_without_secrets(lib, tmp_path):
    lines = []

    @carnet.carnet_log_callback
    def sink(payload, level, message):
        lines.append((payload, level, message.decode("utf-8")))

    secret_password = "Motdepasse-tres-secret-123"
    payload = ctypes.c_void_p(0x5EED)
    with carnet.Client(lib, str(tmp_path / "s"), log_callback=sink, log_payload=payload,
                       log_level=C["CARNET_LOG_DEBUG"], account_password=secret_password,
                       account_email="dr.martin@example.fr") as client:
        client.link_set("Patient Secret Name", "11111111-2222-3333-4444-555555555555")
        client.cancel()
    assert lines, "debug logging produced nothing"
    assert all(p == 0x5EED for p, _, _ in lines)
    assert any("client opened" in m for _, _, m in lines)
    assert any("client closed" in m for _, _, m in lines)
    for _, level, message in lines:
        assert C["CARNET_LOG_ERROR"] <= level <= C["CARNET_LOG_DEBUG"]
        for secret in (secret_password, "dr.martin", "Patient Secret Name"):
            assert secret not in message

    quiet = []

    @carnet.carnet_log_callback
    def quiet_sink(payload, level, message):
        quiet.append(level)

    with carnet.Client(lib, str(tmp_path / "q"), log_callback=quiet_sink, log_level=C["CARNET_LOG_WARNING"]):
        pass
    assert all(level <= C["CARNET_LOG_WARNING"] for level in quiet)
    assert len(quiet) < len(lines)


def test_a_store_from_an_older_version_is_migrated_keeping_its_data(lib, tmp_path):
    store = tmp_path / "store"
    store.mkdir(mode=0o700)
    db_path = store / "carnet.sqlite"
    db = sqlite3.connect(db_path)
    # The schema as version 1 of Carnet wrote it, with one link.
    db.executescript("""
        CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (1, 0);
        CREATE TABLE link (patient_id TEXT PRIMARY KEY NOT NULL, carnet_id TEXT NOT NULL,
                           linked_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX link_by_carnet ON link(carnet_id);
        CREATE TABLE store_state (key TEXT PRIMARY KEY NOT NULL, value BLOB) WITHOUT ROWID;
        INSERT INTO link VALUES ('old-patient', '6f9619ff-8b86-d011-b42d-00c04fc964ff', 0);
    """)
    db.commit()
    db.close()
    os.chmod(db_path, 0o600)
    with carnet.Client(lib, str(store)) as client:
        assert client.link_get("old-patient") == "6f9619ff-8b86-d011-b42d-00c04fc964ff"
        assert client.outbox_status()["pending"] == []  # tables of later versions exist
    db = sqlite3.connect(db_path)
    try:
        versions = [row[0] for row in db.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions[0] == 1 and versions == list(range(1, len(versions) + 1)) and len(versions) >= 3
        assert db.execute("SELECT value FROM store_state WHERE key = 'install_id'").fetchone()[0]
    finally:
        db.close()
