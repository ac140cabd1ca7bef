"""Periodic tasks of this area, queued by `maillage tick`."""


def periodic_tasks():
    from maillage.events import tasks

    return [
        tasks.offers_expire_task,
        tasks.reminders_send_task,
        tasks.surveys_send_task,
        tasks.personal_data_purge_task,
    ]
