import pytest

from core.models.enums import Platform
from core.registry.handles import HandleError, normalise_handle, parse_platform


@pytest.mark.parametrize(
    ("platform", "raw", "expected"),
    [
        (Platform.BLUESKY, "@Budi.bsky.social", "budi.bsky.social"),
        (Platform.BLUESKY, "https://bsky.app/profile/budi.test", "budi.test"),
        (Platform.MASTODON, "@Budi@Mastodon.Social", "budi@mastodon.social"),
        (Platform.MASTODON, "https://mastodon.test/@budi", "budi@mastodon.test"),
        (Platform.X, "@Budi_Santoso", "budi_santoso"),
        (Platform.X, "https://x.com/budi_s", "budi_s"),
        (Platform.YOUTUBE, "UCabcdefghijklmnopqrstuv", "UCabcdefghijklmnopqrstuv"),
        (Platform.YOUTUBE, "@BudiChannel", "budichannel"),
        (Platform.YOUTUBE, "https://www.youtube.com/@BudiChannel", "budichannel"),
        (Platform.FACEBOOK, "budi.santoso", "budi.santoso"),
        (Platform.WHATSAPP, "0812-3456-7890", "6281234567890"),
    ],
)
def test_handles_are_normalised(platform: Platform, raw: str, expected: str) -> None:
    assert normalise_handle(platform, raw) == expected


@pytest.mark.parametrize(
    ("platform", "raw"),
    [
        (Platform.BLUESKY, "budi"),
        (Platform.MASTODON, "budi"),
        (Platform.X, "this_handle_is_far_too_long"),
        (Platform.X, "budi santoso"),
        (Platform.FACEBOOK, "abc"),
        (Platform.YOUTUBE, "@b u"),
        (Platform.X, "https://bsky.app/profile/budi.test"),
        (Platform.X, ""),
    ],
)
def test_malformed_handles_are_rejected(platform: Platform, raw: str) -> None:
    with pytest.raises(HandleError):
        normalise_handle(platform, raw)


def test_platform_names_and_aliases() -> None:
    assert parse_platform("Twitter") is Platform.X
    assert parse_platform(" Bluesky ") is Platform.BLUESKY
    with pytest.raises(ValueError, match="unknown platform 'friendster'"):
        parse_platform("friendster")
