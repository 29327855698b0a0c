from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "yigou.contracts"
    label = "contracts"
    verbose_name = "认购合同、以产预购与包村回购"
