"""Serializers of households and their history. Personal data only ever leaves in masked form."""

from __future__ import annotations

from rest_framework import serializers

from yigou.core.masking import mask_id_number
from yigou.registry.enums import EventKind, Health, IdentificationStepKind, Labour, MonitorType, Relation
from yigou.registry.models import (
    EvidenceFile,
    Household,
    IdentificationStep,
    Linkage,
    Member,
    StatusEvent,
)
from yigou.registry.selectors import TimelineItem

from .common import MaskedField, choices_help, masked_id, masked_phone


class MemberSerializer(serializers.ModelSerializer):
    relation_label = serializers.CharField(source="get_relation_display", read_only=True)
    sex_label = serializers.CharField(source="get_sex_display", read_only=True)
    labour_label = serializers.CharField(source="get_labour_display", read_only=True)
    id_number = masked_id(label="身份证号（脱敏）")
    health = MaskedField(label="健康状况（脱敏）")

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "relation",
            "relation_label",
            "sex",
            "sex_label",
            "id_number",
            "labour",
            "labour_label",
            "health",
        ]
        read_only_fields = fields


class HouseholdListSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    township_name = serializers.CharField(source="village.parent.name", read_only=True, default="")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    monitor_type_label = serializers.CharField(source="get_monitor_type_display", read_only=True)
    phone = masked_phone(label="联系电话（脱敏）")
    head_id_number = serializers.SerializerMethodField(label="户主身份证号（脱敏）")

    class Meta:
        model = Household
        fields = [
            "id",
            "number",
            "village",
            "village_name",
            "township_name",
            "county_code",
            "head_name",
            "head_id_number",
            "size",
            "status",
            "status_label",
            "monitor_type",
            "monitor_type_label",
            "phone",
            "address",
            "updated_at",
        ]
        read_only_fields = fields

    def get_head_id_number(self, obj: Household) -> str:
        head = next((m for m in obj.members.all() if m.relation == Relation.HEAD), None)
        return mask_id_number(head.id_number) if head else ""


class HouseholdLinkageSerializer(serializers.ModelSerializer):
    producer_name = serializers.CharField(source="producer.name", read_only=True)
    mechanism_label = serializers.CharField(source="get_mechanism_display", read_only=True)

    class Meta:
        model = Linkage
        fields = [
            "id",
            "producer",
            "producer_name",
            "mechanism",
            "mechanism_label",
            "start",
            "end",
            "expected_income",
        ]
        read_only_fields = fields


class HouseholdCadrePairingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cadre = serializers.IntegerField(source="cadre_id")
    cadre_name = serializers.CharField(source="cadre.name")
    unit_name = serializers.CharField(source="cadre.unit.name")
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "step", "event", "uploaded_at"]
        read_only_fields = fields


class HouseholdDetailSerializer(HouseholdListSerializer):
    members = MemberSerializer(many=True, read_only=True)
    linkages = HouseholdLinkageSerializer(many=True, read_only=True)
    cadre_pairings = HouseholdCadrePairingSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta(HouseholdListSerializer.Meta):
        fields = [
            *HouseholdListSerializer.Meta.fields,
            "created_at",
            "members",
            "linkages",
            "cadre_pairings",
            "evidence",
        ]
        read_only_fields = fields


class MemberInputSerializer(serializers.Serializer):
    """Checked by the service (ID checksum, duplicates, one head), which answers with domain error codes."""

    name = serializers.CharField(label="姓名", max_length=60)
    id_number = serializers.CharField(label="身份证号", max_length=32)
    relation = serializers.CharField(
        label="与户主关系", default=Relation.HEAD, help_text=choices_help(Relation)
    )
    labour = serializers.CharField(label="劳动能力", default=Labour.ORDINARY, help_text=choices_help(Labour))
    health = serializers.CharField(label="健康状况", default=Health.HEALTHY, help_text=choices_help(Health))


class HouseholdCreateSerializer(serializers.Serializer):
    village = serializers.CharField(label="所在村区划代码", max_length=12)
    number = serializers.CharField(
        label="户编号（留空自动生成）", max_length=32, required=False, allow_blank=True
    )
    phone = serializers.CharField(label="联系电话", max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(label="住址", max_length=200, required=False, allow_blank=True)
    members = MemberInputSerializer(many=True, allow_empty=False)


class HouseholdUpdateSerializer(serializers.Serializer):
    phone = serializers.CharField(label="联系电话", max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(label="住址", max_length=200, required=False, allow_blank=True)


class EventInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="事件", choices=EventKind.choices)
    date = serializers.DateField(label="日期")
    reason = serializers.CharField(
        label="原因/依据", max_length=500, required=False, allow_blank=True, default=""
    )
    monitor_type = serializers.ChoiceField(
        label="监测类型（纳入监测时填写）",
        choices=MonitorType.choices,
        required=False,
        allow_blank=True,
        default="",
    )


class StepInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(label="程序步骤", choices=IdentificationStepKind.choices)
    date = serializers.DateField(label="日期")
    note = serializers.CharField(label="说明", max_length=500, required=False, allow_blank=True, default="")


class StatusEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    files: serializers.SlugRelatedField[EvidenceFile] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name"
    )

    class Meta:
        model = StatusEvent
        fields = [
            "id",
            "household",
            "kind",
            "kind_label",
            "date",
            "reason",
            "monitor_type",
            "source",
            "recorded_at",
            "files",
        ]
        read_only_fields = fields


class IdentificationStepSerializer(serializers.ModelSerializer):
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    files: serializers.SlugRelatedField[EvidenceFile] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name"
    )

    class Meta:
        model = IdentificationStep
        fields = ["id", "household", "step", "step_label", "date", "note", "recorded_at", "files"]
        read_only_fields = fields


class TimelineItemSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField(help_text="step=识别程序；event=状态事件")
    label = serializers.CharField()  # type: ignore[assignment]
    note = serializers.CharField()
    recorded_by = serializers.CharField()
    files = serializers.SerializerMethodField()

    def get_files(self, obj: TimelineItem) -> list[str]:
        return [f.name for f in obj.files]
