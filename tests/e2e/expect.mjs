// A small retrying `expect` for Playwright locators, in the shape of @playwright/test's:
// each matcher polls until it holds or 5 s pass, so tests never sleep.
import assert from 'node:assert/strict';

const TIMEOUT_MS = 5_000;

async function eventually(check, timeout = TIMEOUT_MS) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }
}

function matches(actual, expected) {
  return expected instanceof RegExp ? expected.test(actual) : actual.includes(expected);
}

export function expect(locator) {
  return {
    async toContainText(expected) {
      await eventually(async () => {
        const text = await locator.innerText({ timeout: 500 });
        assert.ok(matches(text, expected), `expected ${expected} in:\n${text.slice(0, 2000)}`);
      });
    },
    async toHaveText(expected) {
      await eventually(async () => {
        const text = (await locator.innerText({ timeout: 500 })).trim();
        if (expected instanceof RegExp) assert.match(text, expected);
        else assert.equal(text, expected);
      });
    },
    async toHaveValue(expected) {
      await eventually(async () => {
        const value = await locator.inputValue({ timeout: 500 });
        assert.ok(matches(value, expected), `expected ${expected} in value:\n${value.slice(0, 500)}`);
      });
    },
    async toHaveAttribute(name, expected) {
      await eventually(async () => assert.equal(await locator.getAttribute(name, { timeout: 500 }), expected));
    },
    async toBeVisible({ timeout } = {}) {
      await eventually(async () => assert.ok(await locator.isVisible(), `${locator} is not visible`), timeout);
    },
    async toBeHidden() {
      await eventually(async () => assert.ok(await locator.isHidden(), `${locator} is not hidden`));
    },
    async toBeFocused() {
      await eventually(async () =>
        assert.ok(await locator.evaluate((e) => e === document.activeElement, { timeout: 500 }), `${locator} is not focused`));
    },
    async toHaveCount(count) {
      await eventually(async () => assert.equal(await locator.count(), count, `count of ${locator}`));
    },
  };
}
