'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { greet } = require('../src/index.js');

test('greets by name', () => {
  assert.strictEqual(greet('Gantry'), 'Hello, Gantry!');
});

test('needs a name', () => {
  assert.throws(() => greet(''), /name is required/);
});
