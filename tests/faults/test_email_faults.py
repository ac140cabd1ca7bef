"""Emails survive an SMTP outage and a worker killed mid-batch: each delivered exactly once."""

import os
import signal

from tests.faults.harness import SmtpPeer, free_port, wait_until

QUEUE_EMAILS = """
from maillage.core.email import email_queue
for n in range({count}):
    email_queue(subject=f"Message {{n}}", body="Bonjour", to=[f"p{{n}}@exemple.fr"])
"""


def _smtp_instance(instance_factory, port):
    instance = instance_factory(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
    )
    instance.manage("migrate", "--noinput")
    return instance


def test_smtp_unreachable_for_a_while_then_back_delivers_every_email_once(
    instance_factory, task_backend
):
    port = free_port()
    instance = _smtp_instance(instance_factory, port)
    instance.shell(QUEUE_EMAILS.format(count=20))
    instance.worker()
    # Nobody listens on the SMTP port: every email fails and waits for its next attempt.
    wait_until(
        lambda: instance.tasks_attempted(at_least=2) == 20,
        timeout=60,
        what="chaque e-mail a échoué deux fois au moins",
    )
    assert instance.sql("SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NULL") == 20
    assert all("injoignable" in reason for reason in instance.last_errors())
    peer = SmtpPeer(port).start()
    try:
        wait_until(
            lambda: (
                instance.sql("SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NOT NULL")
                == 20
            ),
            timeout=90,
            what="les 20 e-mails partis une fois le serveur revenu",
        )
    finally:
        peer.stop()
    assert len(peer.message_ids) == 20 and len(set(peer.message_ids)) == 20
    assert instance.sql("SELECT count(*) FROM jobs_taskrecord WHERE parked_at IS NOT NULL") == 0


def _sent(instance):
    return instance.sql("SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NOT NULL")


def _restart_until_all_sent(instance, count):
    instance.worker()
    wait_until(
        lambda: _sent(instance) == count,
        timeout=90,
        what=f"les {count} e-mails partis après le redémarrage",
    )


def test_a_worker_killed_mid_batch_loses_no_email_and_sends_none_twice(
    instance_factory, task_backend
):
    port = free_port()
    instance = _smtp_instance(instance_factory, port)
    instance.shell(QUEUE_EMAILS.format(count=30))
    # The peer stalls on the 12th message: the worker is then in the middle of sending it.
    peer = SmtpPeer(port, hold_rcpt_of=12).start()
    try:
        worker = instance.worker()
        wait_until(peer.holding.is_set, timeout=60, what="le worker envoie le 12e e-mail")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        peer.release()
        assert instance.tasks_running() == 1
        # A new worker takes the abandoned email up once its lease expires.
        _restart_until_all_sent(instance, 30)
    finally:
        peer.stop()
    assert len(peer.message_ids) == 30 and len(set(peer.message_ids)) == 30
    assert "abandonnée" in instance.log("worker")


def test_a_worker_killed_once_the_server_has_the_message_does_not_send_it_again(
    instance_factory, task_backend
):
    """The server has accepted the 12th message (its answer to DATA) and the worker is killed
    before it closes the connection: the outbox row is already marked sent, so the worker that
    takes the task up does not send a second copy. (Killed between that answer and the mark,
    it would: the remaining at-least-once window of SMTP, counted by bench/cluster.py.)"""
    port = free_port()
    instance = _smtp_instance(instance_factory, port)
    instance.shell(QUEUE_EMAILS.format(count=30))
    peer = SmtpPeer(port, hold_quit_of=12).start()
    try:
        worker = instance.worker()
        wait_until(peer.holding.is_set, timeout=60, what="le 12e e-mail est remis au serveur")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        peer.release()
        assert _sent(instance) == 12
        _restart_until_all_sent(instance, 30)
    finally:
        peer.stop()
    assert len(peer.message_ids) == 30 and len(set(peer.message_ids)) == 30


def test_a_worker_stopped_by_sigterm_mid_send_finishes_it_and_leaves_nothing_to_resend(
    instance_factory, task_backend
):
    """A stop (systemd, a rolling upgrade) is SIGTERM: the email being sent is finished and
    marked, the worker exits, nothing is left for another to take up — no copy."""
    port = free_port()
    instance = _smtp_instance(instance_factory, port)
    instance.shell(QUEUE_EMAILS.format(count=30))
    peer = SmtpPeer(port, hold_rcpt_of=12).start()
    try:
        worker = instance.worker()
        wait_until(peer.holding.is_set, timeout=60, what="le worker envoie le 12e e-mail")
        os.killpg(worker.pid, signal.SIGTERM)
        peer.release()
        worker.wait(timeout=60)
        assert _sent(instance) == 12
        assert instance.tasks_running() == 0
        _restart_until_all_sent(instance, 30)
    finally:
        peer.stop()
    assert len(peer.message_ids) == 30 and len(set(peer.message_ids)) == 30
    assert "abandonnée" not in instance.log("worker")
