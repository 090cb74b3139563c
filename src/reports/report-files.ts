/** Where the reports the gate feeds live, inside its output folder (emptied at every run's start). */
export const REPORT_FILES = {
  junit: 'junit.xml',
  allureResults: 'allure-results',
  allureReport: 'allure-report',
} as const;
