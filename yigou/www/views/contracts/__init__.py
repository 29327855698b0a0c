"""Purchase contracts (认购合同), pre-orders (以产预购) and buy-back (包村回购): lists, detail pages, forms.

Every read goes through yigou.contracts.selectors (scoped), every write through the contract services; the
figures on the pages are recomputed from the ledger on each request (`?as_of=YYYY-MM-DD` shows another day).
"""

from django.urls import path

from .buybacks import (
    buyback_close_view,
    buyback_deliver_view,
    buyback_detail,
    buyback_enrol_view,
    buyback_list,
    buyback_new,
    buyback_reverse_view,
)
from .contracts import (
    contract_action,
    contract_detail,
    contract_draw,
    contract_export,
    contract_list,
    contract_new,
)
from .preorders import (
    preorder_deposit,
    preorder_detail,
    preorder_draw,
    preorder_finish,
    preorder_list,
    preorder_new,
)

urlpatterns = [
    path("contracts/", contract_list, name="contracts"),
    path("contracts/new/", contract_new, name="contract_create"),
    path("contracts/export/", contract_export, name="contract_export"),
    path("contracts/<int:pk>/", contract_detail, name="contract"),
    path("contracts/<int:pk>/action/", contract_action, name="contract_action"),
    path("contracts/<int:pk>/draw/", contract_draw, name="contract_draw"),
    path("preorders/", preorder_list, name="preorders"),
    path("preorders/new/", preorder_new, name="preorder_create"),
    path("preorders/<int:pk>/", preorder_detail, name="preorder"),
    path("preorders/<int:pk>/draw/", preorder_draw, name="preorder_draw"),
    path("preorders/<int:pk>/end/", preorder_finish, name="preorder_end"),
    path("preorders/<int:pk>/deposit/", preorder_deposit, name="preorder_deposit"),
    path("buybacks/", buyback_list, name="buybacks"),
    path("buybacks/new/", buyback_new, name="buyback_create"),
    path("buybacks/<int:pk>/", buyback_detail, name="buyback"),
    path("buybacks/<int:pk>/enrol/", buyback_enrol_view, name="buyback_enrol"),
    path("buybacks/<int:pk>/deliver/", buyback_deliver_view, name="buyback_deliver"),
    path("buybacks/<int:pk>/reverse/", buyback_reverse_view, name="buyback_reverse"),
    path("buybacks/<int:pk>/close/", buyback_close_view, name="buyback_close"),
]
