from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache_in_production(app_configs, **kwargs):
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [
            Warning(
                "The cache is local to each process: rate limits and cached pages are not shared.",
                hint="Set REDIS_URL when running more than one process.",
                id="portal.W001",
            )
        ]
    return []
