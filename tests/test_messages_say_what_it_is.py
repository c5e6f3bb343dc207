"""Each message names what the thing actually is: a loop of links is not a link to
nothing, site.yaml is not an entry, a path is not a misspelt timezone."""

from __future__ import annotations

import pytest

from feeds.build import check_site
from feeds.load import read_document

from .conftest import SITE_YAML, entry_yaml


def problems_of(root) -> list[str]:
    return [str(problem) for problem in check_site(root).problems]


def test_a_loop_of_links_is_reported_as_a_loop(make_site):
    root = make_site()
    (root / "items/a.yaml").symlink_to("b.yaml")
    (root / "items/b.yaml").symlink_to("a.yaml")
    assert problems_of(root) == [
        f"items/{name}.yaml:1:1: expected a readable file, found a loop of links that leads back to itself; "
        "link it to the entry file itself, or remove it" for name in "ab"]


def test_a_link_to_itself_is_reported_as_a_loop(make_site):
    root = make_site()
    (root / "items/a.yaml").symlink_to("a.yaml")
    assert problems_of(root) == [
        ("items/a.yaml:1:1: expected a readable file, found a loop of links that leads back to itself; "
        "link it to the entry file itself, or remove it")]


def test_a_link_to_nothing_is_still_reported_as_one(make_site):
    root = make_site()
    (root / "items/a.yaml").symlink_to("missing.yaml")
    assert problems_of(root) == [
        ("items/a.yaml:1:1: expected a readable file, found a link to nothing; "
        "remove the link, or link it to a file inside the site")]


def test_an_entry_removed_after_the_build_listed_it_is_told_it_was_removed_not_to_check_the_disk(make_site):
    root = make_site()
    assert [str(problem) for problem in read_document(root / "items/gone.yaml", "items/gone.yaml")] == [
        "items/gone.yaml:1:1: expected a readable file, found no file: it was removed while the build read the site "
        "(a git pull, a deploy); the next build leaves it out; if it is to stay, restore it"]


def test_an_oversized_site_yaml_is_told_it_holds_the_settings(make_site):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + "# " + "x" * (1 << 20) + "\n")
    assert problems_of(root) == [
        ("site.yaml:1:1: expected a file of at most 1 MiB (1,048,576 bytes), found more; "
        "site.yaml holds the site's settings, a few short lines: check that this is the right file")]


@pytest.mark.parametrize("zone", ["/etc/localtime", "../UTC", "Europe/../UTC", "./UTC"])
def test_a_timezone_given_as_a_path_is_told_it_is_a_path(make_site, zone):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML.replace("Europe/Istanbul", zone))
    assert problems_of(root) == [
        (f'site.yaml:5:11: timezone: expected an IANA timezone, found the path "{zone}"; '
        "write the zone's name, not a file's, such as Europe/Istanbul or UTC")]


def test_a_timezone_given_as_the_path_of_a_zone_file_is_told_the_zones_name(make_site):
    zone = "/usr/share/zoneinfo/Europe/Istanbul"
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML.replace("Europe/Istanbul", zone))
    assert problems_of(root) == [
        (f'site.yaml:5:11: timezone: expected an IANA timezone, found the path "{zone}"; '
        "write the zone's name, not a file's: Europe/Istanbul")]


def test_a_timezone_of_hundreds_of_parts_is_no_zone_not_a_traceback(make_site):
    """Past the zone files, zoneinfo imports tzdata's package of each part: 300 raised RecursionError."""
    zone = "a/" * 300 + "x"
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML.replace("Europe/Istanbul", zone))
    assert problems_of(root) == [
        f'site.yaml:5:11: timezone: expected an IANA timezone, found text "{zone[:59]}…"; '
        "write a zone such as Europe/Istanbul or UTC"]


@pytest.mark.parametrize("written", ["null", "~", "NULL"])
def test_null_typed_as_a_title_is_named_as_typed_not_as_nothing(make_site, written):
    root = make_site({"items/a.yaml": entry_yaml(title=written)})
    assert problems_of(root) == [
        f"items/a.yaml:1:8: title: expected a title, found {written}, which YAML reads as nothing; write a title "
        f'after the colon; for the word itself, quote it: title: "{written}"']


@pytest.mark.parametrize("field, written, what", [("updated", "~", "a date"), ("expires", "Null", "a date"),
                                                  ("image", "null", "a URL")])
def test_null_typed_for_a_date_or_an_address_is_named_as_typed_and_the_line_may_go(make_site, field, written, what):
    root = make_site({"items/a.yaml": entry_yaml(**{field: written})})
    assert [problem.split(": ", 1)[1] for problem in problems_of(root)] == [
        f"{field}: expected {what}, found {written}, which YAML reads as nothing; write {what} after the colon, "
        "or remove the line"]


@pytest.mark.parametrize("field, meant", [("lastmod", "updated"), ("featured_image", "image"), ("thumbnail", "image")])
def test_a_field_another_tool_names_otherwise_is_told_its_name_here(make_site, field, meant):
    root = make_site({"items/a.yaml": entry_yaml(**{field: "x"})})
    assert problems_of(root) == [f"items/a.yaml:4:1: {field}: is not a field of an entry; did you mean {meant}?"]


def test_a_site_generators_own_field_is_told_to_go(make_site):
    root = make_site({"items/a.yaml": entry_yaml(layout="post")})
    assert problems_of(root) == [
        "items/a.yaml:4:1: layout: is not a field of an entry; a site generator's field, which feeds has no use for: "
        "remove it (the fields are title, link, published, updated, author, categories, summary, body, image, id, "
        "draft, expires)"]


def test_a_loop_of_links_with_no_file_ending_is_reported_as_a_loop_not_as_a_disk_not_mounted(make_site):
    root = make_site({"items/b.yaml": entry_yaml()})
    (root / "items/b.yaml").unlink()
    (root / "items/b.yaml").symlink_to("a")
    (root / "items/a").symlink_to("b.yaml")
    assert "items/a:1:1: expected a folder feeds can list, found a loop of links that leads back to itself; " \
           "link it to the folder itself, or remove it" in problems_of(root)


def test_a_field_named_as_another_tool_names_one_the_entry_has_says_it_is_given_already(make_site):
    root = make_site({"items/a.yaml": entry_yaml(image="/a.jpg", cover="/b.jpg")})
    assert problems_of(root) == ["items/a.yaml:5:1: cover: is not a field of an entry; did you mean image? image is "
                                 "given already: remove this line, or keep the one meant as image"]


def test_a_subtitle_in_site_yaml_is_its_description(make_site):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml="title: T\nlink: https://news.example.com/\nsubtitle: D\n")
    assert "site.yaml:3:1: subtitle: is not a field of site.yaml; did you mean description?" in problems_of(root)


def test_items_linked_round_a_loop_is_reported_as_a_loop_not_as_a_folder_to_chmod(make_site):
    """Told `let feeds read it: chmod u+rx items`, which changes nothing about a loop."""
    root = make_site()
    (root / "items").rmdir()
    (root / "items").symlink_to("items")
    assert problems_of(root) == ["items:1:1: expected a folder feeds can list, found a loop of links that leads back to "
                                 "itself; link it to the folder itself, or remove it"]


def test_a_site_yaml_linked_to_itself_is_reported_as_a_loop_not_as_a_link_to_a_file_not_there(make_site):
    root = make_site()
    (root / "site.yaml").unlink()
    (root / "site.yaml").symlink_to("site.yaml")
    assert problems_of(root) == [
        f"site.yaml:1:1: expected a file site.yaml in {root}, found a loop of links that leads back to itself; link it "
        "to the settings file itself, or replace the link with the file site.yaml"]
