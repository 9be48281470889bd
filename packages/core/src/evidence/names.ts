/*
 * The evidence document's fixed names, apart from its shape: the gate writes them on every run and
 * needs nothing else of the schema module. Only readers, which check a whole document, load the shape.
 */

export const EVIDENCE_SCHEMA = 'secure-pipeline/gate-evidence@1'

export const GATE_OUTCOMES = ['pass', 'fail-findings', 'fail-broken-input'] as const

/**
 * Why a finding the reports held did not count: an exception in the policy, a suppression the scanner
 * wrote into its report (`nosemgrep`, SARIF `suppressions`), or a baseline that already knew it.
 */
export const UNCOUNTED_REASONS = ['exception', 'suppressed', 'baseline'] as const
