"""Content of another provider in rich text (issue 15, item 5): a video embedded on a project page
sends nothing to its host until the citizen clicks "Inhalt laden" in the box that names the host;
keyboard only, 0 axe violations, no CSP error once it is shown. The test machine has no network:
the embed is in Wagtail's embed cache and the provider answers locally."""

from urllib.parse import urlsplit

import pytest
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from participation.projects.models import ProjectPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIDEO = "https://www.youtube.com/watch?v=stadtfest"
FRAME = "https://www.youtube.com/embed/stadtfest"


@pytest.fixture
def page_with_video(demo_site):
    Embed.objects.create(
        url=VIDEO,
        hash=get_embed_hash(VIDEO, None, None),
        type="video",
        html=f'<iframe src="{FRAME}" title="Stadtfest 2026"></iframe>',
        title="Stadtfest 2026",
        provider_name="YouTube",
    )
    project = ProjectPage.objects.get(slug="neugestaltung-marktplatz")
    project.body = f'<p>Der Film zum Stadtfest:</p><embed embedtype="media" url="{VIDEO}"/>'
    project.save_revision().publish()
    return project


def test_the_server_sends_the_frame_only_inside_the_consent_box(client, page_with_video):
    html = client.get(page_with_video.url).content.decode()
    assert "Wenn Sie ihn laden, erhält www.youtube.com Ihre IP-Adresse." in html
    template = html.index("<template data-embed-html>")
    assert html.index(FRAME) > template  # inert until the click


def test_no_request_goes_to_the_provider_until_the_click(
    page, live_server, page_with_video, axe, csp_errors
):
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    page.route(
        "https://www.youtube.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Video</p>"),
    )
    page.goto(live_server.url + page_with_video.url)
    box = page.locator(".embed-consent")
    assert "YouTube" in box.inner_text()
    axe(page)
    assert "www.youtube.com" not in hosts

    button = page.get_by_role("button", name="Inhalt laden")
    button.focus()
    with page.expect_request(FRAME):  # now, and only now, the frame asks the provider
        page.keyboard.press("Enter")
    assert page.locator(f'iframe[src="{FRAME}"]').is_visible()
    assert page.locator(".embed-consent").count() == 0
    assert csp_errors == []

    # remembered in this browser: the next visit shows the video at once
    page.reload()
    page.wait_for_selector(f'iframe[src="{FRAME}"]')
    assert page.locator(".embed-consent").count() == 0
