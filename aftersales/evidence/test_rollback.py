"""A stored file lives exactly as long as its row: a transaction that rolls back after the file
was saved takes the file with it, on the filesystem and on S3; one that commits keeps it."""

import pytest
from django.db import transaction

from aftersales.evidence.conftest import minimal_mp4, pdf, photo, stored_files
from aftersales.evidence.models import Evidence
from aftersales.evidence.test_evidence_add import add
from aftersales.evidence.test_s3_storage import bucket_keys


class LaterStepFailed(Exception):
    pass


def test_files_saved_in_a_transaction_that_rolls_back_are_removed_with_their_folder(cn_case, media_root):
    # given a photo, a video and a document saved inside a transaction
    with pytest.raises(LaterStepFailed), transaction.atomic():
        add(cn_case, photo(), kind="inbound")
        add(cn_case, minimal_mp4(), kind="inbound", name="unboxing.mp4")
        add(cn_case, pdf(), kind="other", name="note.pdf")
        assert len(stored_files(media_root)) == 3
        # when a later step of the same transaction fails
        raise LaterStepFailed
    # then no row and no file is left, nor the case's folder
    assert Evidence.objects.count() == 0 and stored_files(media_root) == []
    assert not (media_root / "evidence" / cn_case.number).exists()


def test_only_the_files_of_the_savepoint_that_rolled_back_are_removed(cn_case, media_root):
    # given a photo kept, then a second one saved in a savepoint that rolls back
    kept = add(cn_case, photo(), kind="inbound").evidence
    with pytest.raises(LaterStepFailed), transaction.atomic():
        add(cn_case, photo(orientation=1), kind="damage")
        raise LaterStepFailed
    # then the first photo and its file are still there, and only they
    assert list(Evidence.objects.all()) == [kept]
    assert [p.relative_to(media_root).as_posix() for p in stored_files(media_root)] == [kept.file.name]


@pytest.mark.django_db(transaction=True)
def test_a_file_whose_transaction_commits_stays(cn_case, media_root):
    # when evidence is added in a transaction that really commits
    with transaction.atomic():
        evidence = add(cn_case, photo()).evidence
    # then, after the commit, the file is still on storage beside its row
    assert Evidence.objects.get().file.name == evidence.file.name
    assert [p.relative_to(media_root).as_posix() for p in stored_files(media_root)] == [evidence.file.name]


@pytest.mark.django_db(transaction=True)
def test_a_commit_keeps_the_file_even_when_another_commit_callback_fails(cn_case, media_root):
    # given a photo saved, then a callback that fails once the transaction has committed
    def fails():
        raise LaterStepFailed

    with pytest.raises(LaterStepFailed), transaction.atomic():
        transaction.on_commit(fails)
        evidence = add(cn_case, photo()).evidence
    # then the row was committed, and so its file is kept (Django skipped the callbacks after)
    assert Evidence.objects.get().file.name == evidence.file.name
    assert len(stored_files(media_root)) == 1


def test_a_transaction_that_rolls_back_leaves_the_bucket_empty(cn_case, s3_media):
    with pytest.raises(LaterStepFailed), transaction.atomic():
        add(cn_case, photo(), kind="inbound")
        add(cn_case, minimal_mp4(), kind="inbound", name="unboxing.mp4")
        assert len(bucket_keys(s3_media)) == 2
        raise LaterStepFailed
    assert bucket_keys(s3_media) == [] and Evidence.objects.count() == 0
