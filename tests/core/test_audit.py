import pytest
from django.db import DatabaseError, connection, transaction

from yigou.core.errors import DomainError
from yigou.core.models import AuditEntry


def test_household_registration_is_audited_with_actor_and_region(world):
    entry = (
        AuditEntry.objects.filter(target_type="registry.household", action="create").order_by("id").first()
    )
    assert entry.actor_name == "admin"
    assert entry.region_code == "510903101001"
    assert entry.changes == {"members": ["张德明", "李秀英"], "village": "510903101001"}


def test_audit_entries_cannot_be_changed_or_deleted_through_the_orm(world):
    entry = AuditEntry.objects.first()
    entry.note = "tampered"
    with pytest.raises(DomainError):
        entry.save()
    with pytest.raises(DomainError):
        entry.delete()
    with pytest.raises(DomainError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="tampered")
    with pytest.raises(DomainError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).note != "tampered"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_raw_sql_updates_and_deletes(world):
    count = AuditEntry.objects.count()
    for sql in ("UPDATE core_auditentry SET note = 'x'", "DELETE FROM core_auditentry"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.count() == count
    assert not AuditEntry.objects.filter(note="x").exists()
