/** What a git event (a pushed tag or branch, a pull request) starts, from the spec's triggers. */
package dev.cutter.trigger;
