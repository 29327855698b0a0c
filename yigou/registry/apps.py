from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yigou.registry"
    verbose_name = "建档立卡与经营主体"
