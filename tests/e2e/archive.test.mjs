// The archive's pages (CRM-1..CRM-6, MR-1), each module of the screen in a browser: the search and
// the browsing by class (archive.js), a customer with the edit form (customer_card.js), a vehicle
// with its readings, service history and edit form (vehicle_card.js), and the lists they share
// (archive_common.js); a refused odometer reading is explained from the readings shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e, settle, shot } from './lib.mjs';

const E = e2e();

test('the archive finds a car, opens its owner and the car, and their forms', { timeout: 120_000 },
  E.withPage(async (page) => {
    const api = await E.apiAs('manager');
    const customers = await api.get('/customers?limit=20');
    const c = customers.items.find((x) => x.vehicle_count > 0);
    assert.ok(c, 'the demo has a customer with a car');
    const v = (await api.get(`/customers/${c.id}/vehicles`)).items.find((x) => x.plate);
    assert.ok(v, 'the customer has a car with a plate');

    await E.signIn(page, 'manager');
    await E.open(page, '#/archive');
    await page.locator('#archive-search').pressSequentially(v.plate.slice(-4), { delay: 30 });
    const result = page.locator(`#archive-results .archive-result[data-vehicle-id="${v.id}"]`);
    await result.waitFor({ state: 'visible' });
    await page.click('.archive-section form.row button[type=submit]'); // browse by class: all
    await page.locator('#archive-browse table').waitFor();
    await settle(page);

    await E.open(page, `#/archive?customer=${c.id}`);
    await page.locator(`#archive-customer[data-customer-id="${c.id}"]`).waitFor({ state: 'visible' });
    await page.locator('#archive-appointments table').waitFor();
    await settle(page);
    for (const id of ['#archive-drivers', '#archive-contact-history', '#archive-tasks', '#archive-messages', '#archive-audit'])
      assert.equal(await page.locator(id).count(), 1, `the customer's page has ${id}`);
    await page.click('#archive-edit-customer');
    await page.locator('#archive-edit').waitFor({ state: 'visible' });
    await settle(page);
    await page.click('#archive-edit button[type=submit]'); // nothing changed: nothing sent
    await page.locator('#archive-edit-error:not(:empty)').waitFor();
    await shot(page, 'archive-customer-edit');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#archive-edit').count(), 0, 'Escape closes the form');

    await E.open(page, `#/archive?vehicle=${v.id}`);
    await page.locator(`#archive-vehicle[data-vehicle-id="${v.id}"]`).waitFor({ state: 'visible' });
    await page.locator('#archive-appointments table').waitFor();
    await settle(page);
    for (const id of ['#archive-mileage', '#archive-service-records', '#archive-tasks', '#archive-messages', '#archive-audit'])
      assert.equal(await page.locator(id).count(), 1, `the vehicle's page has ${id}`);
    await page.click('#archive-edit-vehicle');
    await page.locator('#archive-edit').waitFor({ state: 'visible' });
    await settle(page);
    await page.click('#archive-edit button[type=submit]');
    await page.locator('#archive-edit-error:not(:empty)').waitFor();
    await shot(page, 'archive-vehicle-edit');
    await page.keyboard.press('Escape');

    // A reading below the last one is refused and explained (the refusal is provoked here).
    page.e2e.allow(422, '/mileage');
    await page.fill('#archive-mileage-form input[name=km]', '1');
    await page.click('#archive-mileage-form button[type=submit]');
    await page.locator('#archive-mileage-error:not(:empty)').waitFor();
    assert.ok((await page.textContent('#archive-mileage-error')).length > 0);
    await shot(page, 'archive-vehicle-mileage-refused');
  }));
