package io.flotilla.controller;

/**
 * Called before each step of a reconcile and before each write, with the step's name: where tests
 * inject a crash (by throwing) to check that a restarted controller ends where an uninterrupted one
 * does.
 */
@FunctionalInterface
public interface StepHook {
  void before(String step);

  StepHook NONE = step -> {};
}
