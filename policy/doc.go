// Package policy is the rule engine of 慰问: the shipped policy packs (the
// national rules and the provinces' caps, each rule with its document and
// 文号), the merging of an org's adopted pack and local rules into the
// policy in force, the check of a proposed case against it, and the dates
// of the seven statutory holidays of 节日慰问.
//
// Everything here is pure: no I/O, no database, no clock. The store reads
// what it needs inside its transaction and calls Effective and Check.
package policy
