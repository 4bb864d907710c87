//! `Program::max_steps` bounds what evaluation counts (`Evaluator::record_counting`), on facts
//! generated for every shipped policy from its input schema (`onshi_tests::facts`), and on the
//! examples of every policy under `tests/fixtures/` — so an evaluator may skip counting steps when
//! `max_steps() <= step_limit()`. (Each limit and its code: `tests/tests/limits_defaults.rs`.)
//!
//! Runs are deterministic (a fixed seed); `ONSHI_PROPTEST_CASES` sets the number of cases.

use onshi::{compile, Program};
use onshi_tests::facts::facts;
use onshi_tests::workspace::shipped_policies;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

fn cases() -> u32 {
    onshi_tests::cases(200)
}

fn programs() -> Vec<(String, Program)> {
    let files = shipped_policies();
    files
        .keys()
        .filter(|p| !p.starts_with("policies/common/") && !p.starts_with("policies/scope/"))
        .map(|p| {
            let c = compile(&files, p);
            (
                p.clone(),
                c.program
                    .unwrap_or_else(|| panic!("{p}: {:?}", c.diagnostics)),
            )
        })
        .collect()
}

#[test]
fn evaluation_never_counts_more_steps_than_max_steps() {
    for (path, program) in programs() {
        let bound = program.max_steps();
        assert!(
            bound > 0 && bound <= program.step_limit(),
            "{path}: {bound}"
        );
        assert!(
            bound <= program.max_steps_of(program.full_order()),
            "{path}"
        );
        let config = Config {
            cases: cases(),
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
        let most = std::cell::Cell::new(0);
        let result = runner.run(&facts(&program), |f| {
            let (_, steps) = program.evaluator().record_counting(&f.values);
            most.set(most.get().max(steps));
            proptest::prop_assert!(steps <= bound, "{steps} steps > max_steps {bound}");
            Ok(())
        });
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, minimal)) => {
                panic!(
                    "{path}: {why}\n  shrunk counterexample: {:?}",
                    minimal.json()
                )
            }
            Err(e) => panic!("{path}: {e}"),
        }
        // The bound is not wildly loose either: within 4× of the most steps seen.
        let most = most.get();
        assert!(
            bound <= most.saturating_mul(4).max(1),
            "{path}: max_steps {bound}, seen {most}"
        );
    }
}

#[test]
fn a_step_limit_at_max_steps_never_stops_an_evaluation() {
    for (path, program) in programs() {
        let tight = program.with_limits(onshi::Limits {
            max_steps: program.max_steps(),
            ..*program.limits()
        });
        let config = Config {
            cases: cases() / 4,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
        let result = runner.run(&facts(&program), |f| {
            let plain = program.evaluator().record(&f.values);
            proptest::prop_assert_eq!(tight.evaluator().record(&f.values), plain);
            Ok(())
        });
        assert!(result.is_ok(), "{path}: {result:?}");
    }
}
