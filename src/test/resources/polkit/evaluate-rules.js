// Evaluates a polkit rules file the way polkitd does, for tests: the file runs in a context that
// holds only a `polkit` object; each request goes through the rules in order until one answers.
// Usage: node evaluate-rules.js RULES_FILE < requests.json   (requests: [{id, details, user}, ...])
// Prints a JSON array: for each request the answer ("yes", "no", …) or "not_handled", then the
// number of rules the file added.
"use strict";
const fs = require("fs");
const vm = require("vm");

const rules = [];
const polkit = {
  // polkitd's own values (src/polkitbackend/init.js): NOT_HANDLED is null.
  Result: { NO: "no", YES: "yes", AUTH_SELF: "auth_self", AUTH_SELF_KEEP: "auth_self_keep",
            AUTH_ADMIN: "auth_admin", AUTH_ADMIN_KEEP: "auth_admin_keep", NOT_HANDLED: null },
  addRule: (rule) => rules.push(rule),
  addAdminRule: () => { throw new Error("a rules file for one account must not change who counts as admin"); },
  log: () => {},
  spawn: () => { throw new Error("the rule must not run programs"); },
};
vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"), { polkit }, { filename: process.argv[2] });

const requests = JSON.parse(fs.readFileSync(0, "utf8"));
const answers = requests.map((request) => {
  const action = { id: request.id, lookup: (key) => request.details[key] };
  const subject = { user: request.user, groups: [], local: false, active: false, isInGroup: () => false };
  for (const rule of rules) {
    const answer = rule(action, subject);
    if (answer !== null && answer !== undefined) {
      return answer;
    }
  }
  return "not_handled";
});
process.stdout.write(JSON.stringify({ answers, rules: rules.length }));
