"""`odog demo`: the page in a real headless Chromium shows what the library generates.

Needs selenium (in the test extra) and a system Chromium with its driver (Debian: `apt-get install chromium
chromium-driver`); without them these tests skip, unless ODOG_REQUIRE_BROWSER=1 (CI) makes that a failure.
With ODOG_DEMO_SCREENSHOTS=<folder> they also save screenshots of the pages there (docs/images for the docs).
"""

import io
import os
import shutil
import socket
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

import odog
from odog import TagGAN, data, demo, tags

pytest.importorskip("gradio", reason="the demo needs Gradio: pip install -e '.[demo]'")

CHROMIUM = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
DRIVER = shutil.which("chromedriver")
WAIT_S = 60


def _browser_or_skip():
    missing = []
    try:
        from selenium import webdriver
    except ImportError:
        missing.append("selenium (pip install selenium)")
    if CHROMIUM is None or DRIVER is None:
        missing.append("chromium and chromedriver (apt-get install chromium chromium-driver)")
    if missing:
        if os.environ.get("ODOG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ODOG_REQUIRE_BROWSER=1 but this machine lacks {' and '.join(missing)}")
        pytest.skip(f"no browser to drive: {' and '.join(missing)}")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # Headless, and nothing that reaches out of the machine (CI is offline).
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-extensions",
        "--no-first-run",
        "--window-size=1280,1400",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=webdriver.ChromeService(DRIVER), options=options)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    driver = _browser_or_skip()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def taggan(tmp_path_factory):
    folder = tags.make_shapes(tmp_path_factory.mktemp("shapes"), n=96, size=28, seed=0)
    gan = TagGAN(dataset=str(folder), image_size=28, seed=0)
    gan.train(epochs=3, batch_size=8, verbose=0)
    return gan


@pytest.fixture
def served():
    """Serves a model's page on a free port; closes it after the test."""
    pages = []

    def serve(gan):
        page, url = demo.launch(gan, port=_free_port(), block=False)
        pages.append(page)
        return url

    yield serve
    for page in pages:
        page.close()


def _wait(condition, what: str):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {WAIT_S} s for {what}")


def _choose(driver, elem_id: str, option: str) -> None:
    """Picks `option` in the Gradio drop-down `elem_id`, as a user does: open it, click the entry."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, f"#{elem_id} input").click()
    entries = _wait(
        lambda: driver.find_elements(By.CSS_SELECTOR, f"#{elem_id} li[role='option']"), f"the entries of #{elem_id}"
    )
    offered = [e.get_attribute("aria-label") for e in entries]
    assert option in offered, f"#{elem_id} offers {offered}, not {option!r}"
    match = [e for e, label in zip(entries, offered, strict=True) if label == option]
    match[0].click()
    _wait(lambda: driver.find_element(By.CSS_SELECTOR, f"#{elem_id} input").get_attribute("value") == option, option)


def _type(driver, elem_id: str, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    field = driver.find_element(By.CSS_SELECTOR, f"#{elem_id} input, #{elem_id} textarea")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.BACKSPACE)
    field.send_keys(text, Keys.TAB)  # Gradio takes a number field's value when it loses focus


def _press_and_read(driver, button: str = "create", output: str = "output") -> np.ndarray:
    """Presses `button` and decodes the new picture of `output`, as the browser fetched it."""
    from PIL import Image
    from selenium.webdriver.common.by import By

    def source():
        found = driver.find_elements(By.CSS_SELECTOR, f"#{output} img")
        return found[0].get_attribute("src") if found else None

    before = source()
    driver.find_element(By.ID, button).click()
    src = _wait(lambda: (s := source()) and s != before and s, f"a new picture in #{output}")
    with urllib.request.urlopen(src, timeout=WAIT_S) as answer:
        return np.asarray(Image.open(io.BytesIO(answer.read())).convert("RGB"))


def _message(driver, *words: str) -> str:
    """Waits for an error message on the page holding all of `words`; returns its text."""
    from selenium.webdriver.common.by import By

    def shown():
        toasts = driver.find_elements(By.CSS_SELECTOR, "[data-testid='toast-body']")
        text = " ".join(t.text for t in toasts)
        return text if all(w in text for w in words) else None

    text = _wait(shown, f"a message saying {words}")
    for close in driver.find_elements(By.CSS_SELECTOR, "[data-testid='toast-close']"):
        close.click()
    return text


def _screenshot(driver, name: str) -> None:
    folder = os.environ.get("ODOG_DEMO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"demo_{name}.png"))


def test_tag_page_shows_what_generate_draws(browser, taggan, served):
    groups = demo.tag_groups(taggan.vocabulary, taggan.data.labels)
    assert groups == {
        "background": ["black background", "gray background", "white background"],
        "group 2": [t for t in taggan.vocabulary if not t.endswith("background")],
    }
    browser.get(served(taggan))
    _wait(lambda: browser.find_elements("id", "create"), "the page")

    _choose(browser, "background", "white background")
    _choose(browser, "group_2", "red circle")
    _type(browser, "seed", "3")
    _type(browser, "count", "4")
    shown = _press_and_read(browser)
    expected = demo.picture(taggan.generate(4, seed=3, tags="red circle white background"))
    np.testing.assert_array_equal(shown, expected)

    _choose(browser, "group_2", "blue square")
    changed = _press_and_read(browser)
    expected_changed = demo.picture(taggan.generate(4, seed=3, tags="blue square white background"))
    np.testing.assert_array_equal(changed, expected_changed)
    assert np.abs(changed.astype(int) - shown).max() > 0, "the picture did not change with the tag"

    # The typed form goes through the library's parser.
    _type(browser, "tag_text", "green triangle gray background")
    typed = _press_and_read(browser)
    expected_typed = demo.picture(taggan.generate(4, seed=3, tags="green triangle gray background"))
    np.testing.assert_array_equal(typed, expected_typed)


def test_bad_input_shows_a_message_and_the_page_keeps_working(browser, taggan, served):
    browser.get(served(taggan))
    _wait(lambda: browser.find_elements("id", "create"), "the page")
    _type(browser, "tag_text", "purple hexagon")
    browser.find_element("id", "create").click()
    assert "Unknown tag" in _message(browser, "purple hexagon")

    _type(browser, "tag_text", "")
    _type(browser, "count", "500")
    browser.find_element("id", "create").click()
    _message(browser, "1 to 64", "500")

    _type(browser, "count", "2")
    _type(browser, "seed", "5")
    shown = _press_and_read(browser)  # same server, still answering
    np.testing.assert_array_equal(shown, demo.picture(taggan.generate(2, seed=5, tags="black background")))


def test_pretrained_label_page(browser, served):
    """`odog demo cgan-mnist`: the class drop-down, and the page's picture equals `generate(labels=7)`."""
    gan = odog.pretrained("cgan-mnist")
    browser.get(served(gan))
    _wait(lambda: browser.find_elements("id", "create"), "the page")
    _choose(browser, "label", "7")
    _type(browser, "seed", "0")
    shown = _press_and_read(browser)
    np.testing.assert_array_equal(shown, demo.picture(gan.generate(16, seed=0, labels=7)))
    _screenshot(browser, "cgan")


def test_upscaling_page_refuses_a_non_image_and_enlarges_an_image(browser, served, mnist, tmp_path):
    from PIL import Image

    gan = odog.pretrained("srgan-mnist")
    browser.get(served(gan))
    _wait(lambda: browser.find_elements("id", "create"), "the page")

    def upload(path):
        field = browser.find_element("css selector", "#upload input[type='file']")
        field.send_keys(str(path))

    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    upload(text)
    browser.find_element("id", "create").click()
    _message(browser, "notes.txt")

    small = tmp_path / "small.png"
    digit = data.load_named("mnist", "test").images[:1]  # a test digit, shrunk to 7x7
    Image.fromarray(np.round((gan.downscale(digit)[0, ..., 0] + 1) * 127.5).astype("uint8")).save(small)
    browser.refresh()
    _wait(lambda: browser.find_elements("id", "create"), "the page")
    upload(small)
    shown = _press_and_read(browser)
    np.testing.assert_array_equal(shown, demo.picture(gan.upscale(demo.read_upload(small, gan.lr_shape))))
    _screenshot(browser, "srgan")
