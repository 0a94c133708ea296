// Every package's .eslintrc.js builds on @backstage/cli's config and, since none of them sets
// `root`, ESLint merges this file under each of them: rules added here apply repo-wide.
module.exports = {
  root: true,
  plugins: ['regexp'],
  rules: {
    // A regex whose match time grows faster than linearly with its input lets one request
    // hold the event loop (80,000 slashes against /\/+$/ blocked the backend for 5.8 s).
    'regexp/no-super-linear-backtracking': 'error',
    'regexp/no-super-linear-move': 'error',
  },
};
