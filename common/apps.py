from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from common import pagecache

        # Every write to the portal's models retires the cached public pages (common/pagecache.py).
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(pagecache.on_write, dispatch_uid=f"pagecache-{signal}")
