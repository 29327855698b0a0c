"""Every domain error code with its Chinese message template; the API returns both."""

MESSAGES: dict[str, str] = {
    "invalid_input": "输入有误：{detail}",
    "not_found": "记录不存在或无权访问。",
    "forbidden": "无权执行此操作。",
    "out_of_scope": "该记录不在您的管辖区域内。",
    "id_number_invalid": "身份证号码无效：{detail}",
    "id_number_duplicate": "身份证号码 {masked} 已登记（{where}），同一人不能重复登记。",
    "uscc_invalid": "统一社会信用代码无效：{detail}",
    "uscc_duplicate": "统一社会信用代码 {uscc} 已被“{name}”使用。",
    "phone_invalid": "电话号码格式不正确：{value}",
    "region_invalid": "行政区划无效：{detail}",
    "region_level_mismatch": "{what}必须选择{expected}，而“{name}”是{actual}。",
    "status_transition_illegal": "当前状态为“{current}”，不能执行“{action}”。",
    "event_date_out_of_order": "日期 {date} 早于最近一次记录的日期 {last}，状态历史只能按时间顺序追加。",
    "identification_step_order": "识别程序须按顺序进行：下一步应为“{expected}”，不能记录“{given}”。",
    "household_head_required": "每户必须有且只有一名户主。",
    "pairing_dates_invalid": "结束日期 {end} 不能早于开始日期 {start}。",
    "pairing_overlap": "该结对在 {start} 起已存在，不能重复结对。",
    "share_invalid": "股份比例必须在 0 到 100 之间，合计不超过 100，当前合计 {total}。",
    "import_failed": "导入未执行：共 {count} 处错误，请修改后重新导入。",
    "import_file_unreadable": "无法读取文件：{detail}",
    "import_header_missing": "缺少必需的列：{columns}",
    "attribution_empty": "“{name}”在销售日没有可按“{rule}”分配的农户，请逐户录入受益农户。",
    "beneficiary_not_linked": "{household} 在销售日与“{name}”没有带贫联结，不能作为受益农户。",
    "amounts_do_not_add_up": "金额不符：{detail}",
    "purchase_already_reversed": "该记录已于 {date} 冲销，不能重复冲销。",
    "purchase_is_reversal": "冲销记录本身不能再冲销。",
    "outlet_closed": "销售网点“{name}”在 {date} 未营业（开办 {opened}，关闭 {closed}）。",
    "buyer_invalid": "购买方有误：{detail}",
    "login_locked": "登录失败次数过多，请 {minutes} 分钟后再试。",
    "audit_immutable": "审计日志只能追加，不能修改或删除。",
    "out_of_stock": "库存不足：“{name}”尚可订购 {available}{unit}，您订购了 {wanted}{unit}。",
    "presale_closed": "预售清单“{title}”当前不在接单期（{opens} 至 {closes}）。",
    "product_not_certified": "“{name}”不在扶贫产品目录中或已过有效期，不能{action}。",
    "order_transition_illegal": "订单当前状态为“{current}”，不能{action}。",
    "certification_step_illegal": "产品当前状态为“{current}”，不能{action}。",
    "certification_level": "{action}须由{expected}的工作人员办理。",
    "producer_blacklisted": "“{name}”自 {since} 起列入黑名单（{reason}），不能{action}。",
    "share_below_floor": "预留比例 {ratio}% 低于{region}{year}年的最低比例 {floor}%，不能审核通过，请退回。",
    "share_below_last_year": "预留金额 {amount} 元低于上年的 {last} 元，审核通过须填写理由，否则请退回。",
    "share_not_editable": "该填报当前状态为“{status}”，不能{action}。",
    "ledger_append_only": "台账只能追加：更正请先冲销原记录，再登记新记录。",
    "period_locked": "{region} {period} 的数据已审核锁定，如需修改请联系审核单位解锁。",
    "approval_submit_scope": "只有{region}的工作人员可以上报本区域的数据。",
    "approval_decide_scope": "{region}的上报只能由上级区域（{parent}）的扶贫办审核、退回或解锁。",
    "approval_transition_illegal": "上报当前状态为“{current}”，不能{action}。",
    "approval_children_pending": "{region}的下级区域尚未全部审核通过（未通过：{names}），暂不能审核。",
    "rule_expression_invalid": "校验规则表达式“{expression}”有误：{detail}",
    "form_value_invalid": "“{element}”的数值“{value}”无效：{detail}",
    "form_element_unknown": "报表“{form}”中没有指标“{code}”。",
    "form_level_not_filled": "“{name}”是{level}，不填报“{form}”（填报层级：{levels}）。",
    "form_period_monthly": "“{form}”是月报，期间须为单个月份，如 2018-04，而不是“{period}”。",
    "submission_blocked": "校验未通过，不能上报：{detail}",
}


def message_for(code: str, **params: object) -> str:
    template = MESSAGES.get(code, code)
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
