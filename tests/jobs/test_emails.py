"""Emails leave from an outbox, once per deduplication key, with a stable Message-ID."""

import socket

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maillage.core.email import deliver_email, email_queue
from maillage.core.mail_backends import MessageFileBackend
from maillage.core.models import OutgoingEmail
from maillage.jobs.models import TaskRecord


def test_the_same_key_accepted_twice_sends_one_email(db, run_worker, mailoutbox):
    for _ in range(2):
        email_queue(subject="Rappel", body="Bonjour", to=["a@exemple.fr"], dedup_key="k:1")
    run_worker()
    assert len(mailoutbox) == 1
    assert OutgoingEmail.objects.count() == 1


def test_a_sent_email_is_not_sent_again_and_its_content_is_erased(db, run_worker, mailoutbox):
    email = email_queue(subject="Objet", body="Texte personnel", to=["a@exemple.fr"])
    run_worker()
    deliver_email.call(email_id=email.pk)
    email.refresh_from_db()
    assert len(mailoutbox) == 1
    assert email.sent_at is not None and email.body == "" and email.to == ["a@exemple.fr"]
    assert mailoutbox[0].extra_headers["Message-ID"].endswith("@127.0.0.1>")


def test_the_queue_carries_the_email_id_only(db):
    email_queue(subject="Objet", body="Texte personnel", to=["personne@exemple.fr"])
    (row,) = DBTaskResult.objects.all()
    assert "personne@exemple.fr" not in str(row.args_kwargs)
    assert "Texte personnel" not in str(row.args_kwargs)


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_smtp_unreachable_is_retried_with_a_french_reason(db, run_worker, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    email = email_queue(subject="Objet", body="Texte", to=["a@exemple.fr"])
    run_worker()
    (row,) = DBTaskResult.objects.all()
    record = TaskRecord.objects.get(pk=row.pk)
    assert row.status == TaskResultStatus.READY
    assert record.last_error == "le serveur d'e-mails est injoignable pour le moment"
    email.refresh_from_db()
    assert email.sent_at is None and email.body == "Texte"


def test_the_file_backend_keeps_one_file_per_message_id(tmp_path, settings):
    from django.core.mail import EmailMessage

    backend = MessageFileBackend(file_path=tmp_path)
    message = EmailMessage("Objet", "Texte", "m@exemple.fr", ["a@exemple.fr"])
    message.extra_headers["Message-ID"] = "<abc@maillage>"
    backend.send_messages([message])
    backend.send_messages([message])
    assert [p.name for p in tmp_path.iterdir()] == ["abc@maillage.eml"]
