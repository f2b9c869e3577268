// A customer named like an HTML tag is shown as text everywhere: in the booking search, the
// customer card and the archive (CRM-1); no <img src=x> is made and no alert runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e, settle, shot, sleep, vinWithCheckDigit } from './lib.mjs';

const E = e2e();
const XSS = '<img src=x onerror=alert(1)>';

async function noInjectedImage(page) {
  // onerror of a broken image fires within moments; give it the chance to.
  await sleep(500);
  const found = await page.evaluate(() => ({
    img: document.querySelectorAll('img[src="x"]').length,
    onerror: document.querySelectorAll('[onerror]').length,
  }));
  assert.deepEqual(found, { img: 0, onerror: 0 }, 'no element was made from the name');
}

test('the name <img src=x onerror=alert(1)> renders as text in the booking search and the archive',
  { timeout: 90_000 }, E.withPage(async (page) => {
    const api = await E.apiAs('advisor');
    const customer = await api.post('/customers', {
      name: XSS, phone: '13912347755',
      consent: { sms: true, phone: true, email: false, marketing: false },
    });
    assert.equal(customer.name, XSS, 'the API keeps the name as it was given');
    const vin = vinWithCheckDigit('LFV2A21K0P3X12345');
    const vehicle = await api.post('/vehicles', {
      customer_id: customer.id, vin, plate: '粤B7X9K2', brand: '大众', model: '速腾', mileage_km: 12000,
    });
    assert.equal(vehicle.vin_verified, true);

    await E.signIn(page, 'advisor');
    await E.open(page, '#/booking');
    await page.locator('#booking-search').pressSequentially('7X9K2', { delay: 30 });
    const result = page.locator(`#search-results .search-result[data-vehicle-id="${vehicle.id}"]`);
    await result.waitFor({ state: 'visible' });
    await settle(page);
    await noInjectedImage(page);
    await result.click();
    const card = page.locator('#customer-card');
    await card.waitFor({ state: 'visible' });
    await settle(page);
    assert.ok((await card.textContent()).includes(XSS), 'the customer card shows the name as text');
    await noInjectedImage(page);
    await shot(page, 'xss-booking');

    // The phone finds the customer too.
    await page.fill('#booking-search', '');
    await page.locator('#booking-search').pressSequentially('13912347755', { delay: 20 });
    const byPhone = page.locator(`#search-results .search-result[data-customer-id="${customer.id}"]`);
    await byPhone.waitFor({ state: 'visible' });
    assert.ok((await byPhone.textContent()).includes(XSS), 'the customer result shows the name as text');
    await noInjectedImage(page);

    await E.open(page, `#/archive?customer=${customer.id}`);
    await page.getByText(XSS).first().waitFor({ state: 'visible' });
    await noInjectedImage(page);
    await shot(page, 'xss-archive');
    E.check(page); // no dialog fired
  }));
