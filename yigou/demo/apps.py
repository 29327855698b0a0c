from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed only for its `yigou demo` command: the demo loader has no models of its own."""

    name = "yigou.demo"
    verbose_name = "演示数据"
