from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"

    def ready(self):
        from django.apps import apps
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from common import catalogue, pagecache

        # A request reads the catalogue's stamp once (common/catalogue.py).
        request_started.connect(catalogue.request_started, dispatch_uid="catalogue-request-started")
        request_finished.connect(catalogue.request_finished, dispatch_uid="catalogue-request-finished")

        # Every write to the portal's models retires the cached pages (common/pagecache.py): the receiver is
        # connected per model of the watched apps, so other apps' deletes keep Django's fast path.
        watched = pagecache.watched_apps()
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label in watched:
                for signal in (post_save, post_delete, m2m_changed):
                    signal.connect(
                        pagecache.on_write, sender=model, dispatch_uid=f"pagecache-{signal}-{model._meta.label}"
                    )
