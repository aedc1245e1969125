// Runs every conformance case through the npm package aws-local-stepfunctions and prints one JSON object
// {case: {status, output | error, cause}} so the Java differential test can compare it with the local executor.
// Task resources ending in ":function:echo" return their input; ":function:fail" throw Custom.Failure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';

// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node before 22 lacks.
Promise.withResolvers ??= function withResolvers() {
  let resolve;
  let reject;
  const promise = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
};

const directory = process.argv[2];
const results = {};

function taskHandlers(definition) {
  const handlers = {};
  const retries = {};
  const waits = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') {
      if (state.Resource.endsWith(':function:echo')) {
        handlers[name] = (input) => input;
      } else if (state.Resource.endsWith(':function:fail')) {
        handlers[name] = () => {
          const error = new Error('always fails');
          error.name = 'Custom.Failure';
          throw error;
        };
      }
    }
    if (state.Retry) {
      retries[name] = 0;
    }
    if (state.Type === 'Wait') {
      waits[name] = 0;
    }
  }
  return { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retries, waitTimeOverrides: waits };
}

for (const file of readdirSync(directory).filter((name) => name.endsWith('.json')).sort()) {
  const testCase = JSON.parse(readFileSync(join(directory, file), 'utf8'));
  const machine = new StateMachine(testCase.definition, { validationOptions: { checkArn: false } });
  try {
    const execution = machine.run(testCase.input, { overrides: taskHandlers(testCase.definition) });
    const output = await execution.result;
    results[file] = { status: 'SUCCEEDED', output };
  } catch (error) {
    const cause = error.cause ?? error;
    results[file] = { status: 'FAILED', error: cause.name, cause: cause.message };
  }
}
process.stdout.write(JSON.stringify(results));
