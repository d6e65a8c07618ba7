import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addProjectConfiguration } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { serviceNames, whyNotAServiceName } from '../src/service-name.ts';

describe('the name of a new service', () => {
  const tree = createTreeWithEmptyWorkspace();
  addProjectConfiguration(tree, 'platform', { root: 'libs/platform' });
  tree.write('apps/notifications/project.json', '{}');
  tree.write('tools/demo/main.ts', '');

  it('is lower-case kebab-case starting with a letter', () => {
    for (const name of ['reminders', 'fraud-checks', 'sms2', 'a-1']) assert.equal(whyNotAServiceName(tree, name), undefined, name);
    for (const name of ['Billing', '1x', 'a_b', '-a', 'a-', 'a--b', 'a b', '']) {
      assert.match(whyNotAServiceName(tree, name) ?? '', /is not a service name: use lower-case kebab-case/, name);
    }
    assert.match(whyNotAServiceName(tree, 'a'.repeat(33)) ?? '', /too long/);
  });

  it('is none of the names the workspace gives to other things', () => {
    for (const name of ['billing', 'connectivity', 'e2e', 'tools', 'libs']) assert.match(whyNotAServiceName(tree, name) ?? '', /is reserved/, name);
    assert.match(whyNotAServiceName(tree, 'notifications') ?? '', /apps\/notifications already exists/);
    assert.match(whyNotAServiceName(tree, 'platform') ?? '', /already the Nx project in libs\/platform/);
    assert.match(whyNotAServiceName(tree, 'demo') ?? '', /taken by tools\/demo/);
  });

  it('is spelt for classes, variables, constants and the database', () => {
    assert.deepEqual(serviceNames('fraud-checks'), {
      name: 'fraud-checks',
      className: 'FraudChecks',
      propertyName: 'fraudChecks',
      constantName: 'FRAUD_CHECKS',
      snakeName: 'fraud_checks',
    });
  });
});
