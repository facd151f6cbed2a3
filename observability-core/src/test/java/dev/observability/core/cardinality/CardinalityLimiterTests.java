package dev.observability.core.cardinality;

import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CardinalityLimiter}.
 */
final class CardinalityLimiterTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final CardinalityLimiter limiter = CardinalityLimiter.builder().build();

	CardinalityLimiterTests() {
		this.registry.config().meterFilter(this.limiter.meterFilter());
		this.limiter.bindTo(this.registry);
	}

	@Test
	void valuesBeyondTheBudgetFoldIntoOverflowAndTotalsStayRight() {
		for (int i = 0; i < 500; i++) {
			this.registry.counter("orders", "customer", "c" + i, "region", "eu").increment();
		}

		assertThat(this.registry.find("orders").counters()).hasSize(101);
		Counter overflow = this.registry.get("orders").tag("customer", CardinalityLimiter.OVERFLOW_VALUE).counter();
		assertThat(overflow.count()).isEqualTo(400.0);
		assertThat(overflow.getId().getTag("region")).as("other tags are kept").isEqualTo("eu");
		double total = this.registry.find("orders").counters().stream().mapToDouble(Counter::count).sum();
		assertThat(total).isEqualTo(500.0);
	}

	@Test
	void everyFoldIsCountedPerMetricAndTag() {
		for (int i = 0; i < 150; i++) {
			this.registry.counter("orders", "customer", "c" + i).increment();
		}

		assertThat(this.registry.get(CardinalityLimiter.OVERFLOW_METER)
			.tags("metric", "orders", "tag", "customer")
			.functionCounter()
			.count()).isEqualTo(50.0);
	}

	@Test
	void knownValuesKeepBeingAdmittedAfterTheBudgetIsFull() {
		for (int i = 0; i < 200; i++) {
			this.limiter.limit("m", "t", "v" + i);
		}
		assertThat(this.limiter.limit("m", "t", "v7")).isEqualTo("v7");
		assertThat(this.limiter.limit("m", "t", "v150")).isEqualTo(CardinalityLimiter.OVERFLOW_VALUE);
		assertThat(this.limiter.limit("m", "other", "v150")).as("each tag has its own budget").isEqualTo("v150");
		assertThat(this.limiter.limit("n", "t", "v150")).as("each metric has its own budget").isEqualTo("v150");
	}

	@Test
	void metersWithTooManyTagsAreRefused() {
		String[] tags = new String[22];
		for (int i = 0; i < 11; i++) {
			tags[2 * i] = "k" + i;
			tags[2 * i + 1] = "v";
		}
		this.registry.counter("wide", tags).increment();

		assertThat(this.registry.find("wide").counters()).isEmpty();
		assertThat(this.limiter.snapshot()).filteredOn((metric) -> metric.metric().equals("wide"))
			.singleElement()
			.satisfies((metric) -> {
				assertThat(metric.refused()).isTrue();
				assertThat(metric.valuesPerTag()).as("no budget spent on a refused meter").isEmpty();
			});
	}

	@Test
	void perMetricOverridesApply() {
		CardinalityLimiter custom = CardinalityLimiter.builder()
			.maxValuesPerTag(2)
			.maxValuesPerTag("wide.open", 1000)
			.maxTagsPerMetric("narrow", 1)
			.build();
		assertThat(custom.limit("m", "t", "a")).isEqualTo("a");
		assertThat(custom.limit("m", "t", "b")).isEqualTo("b");
		assertThat(custom.limit("m", "t", "c")).isEqualTo(CardinalityLimiter.OVERFLOW_VALUE);
		for (int i = 0; i < 1000; i++) {
			assertThat(custom.limit("wide.open", "t", "v" + i)).isEqualTo("v" + i);
		}
		SimpleMeterRegistry narrow = new SimpleMeterRegistry();
		narrow.config().meterFilter(custom.meterFilter());
		narrow.counter("narrow", "a", "1", "b", "2").increment();
		assertThat(narrow.find("narrow").counters()).isEmpty();
	}

	@Test
	void snapshotReportsSeriesAndOverflows() {
		for (int i = 0; i < 120; i++) {
			this.registry.counter("orders", "customer", "c" + i, "region", "eu").increment();
		}

		assertThat(this.limiter.snapshot()).filteredOn((metric) -> metric.metric().equals("orders"))
			.singleElement()
			.satisfies((metric) -> {
				assertThat(metric.valuesPerTag()).containsEntry("customer", 100).containsEntry("region", 1);
				assertThat(metric.overflowsPerTag()).containsOnlyKeys("customer").containsEntry("customer", 20L);
				assertThat(metric.overflowed()).isTrue();
				assertThat(metric.maxValuesPerTag()).isEqualTo(100);
			});
	}

	@Test
	void foldsBeforeBindingAreExposedWhenBound() {
		CardinalityLimiter unbound = CardinalityLimiter.builder().maxValuesPerTag(1).build();
		unbound.limit("m", "t", "a");
		unbound.limit("m", "t", "b");
		SimpleMeterRegistry later = new SimpleMeterRegistry();
		unbound.bindTo(later);
		assertThat(later.get(CardinalityLimiter.OVERFLOW_METER).functionCounter().count()).isEqualTo(1.0);
	}

	@Test
	void exemptTagsAreLeftToTheirProducerButStillCountAsTags() {
		CardinalityLimiter custom = CardinalityLimiter.builder()
			.maxValuesPerTag(2)
			.maxTagsPerMetric(2)
			.exempt("http.server.requests", "uri")
			.build();
		SimpleMeterRegistry exempting = new SimpleMeterRegistry();
		exempting.config().meterFilter(custom.meterFilter());
		for (int i = 0; i < 10; i++) {
			exempting.counter("http.server.requests", "uri", "/route/" + i, "status", "200").increment();
		}
		exempting.counter("http.server.requests", "uri", "/r", "status", "200", "extra", "x").increment();

		assertThat(exempting.find("http.server.requests").counters()).as("10 routes, none folded, the wide one refused")
			.hasSize(10);
		assertThat(custom.limit("http.server.requests", "uri", "/unmatched/a")).as("explicit calls keep the budget")
			.isEqualTo("/unmatched/a");
		custom.limit("http.server.requests", "uri", "/unmatched/b");
		assertThat(custom.limit("http.server.requests", "uri", "/unmatched/c"))
			.isEqualTo(CardinalityLimiter.OVERFLOW_VALUE);
		exempting.counter("other", "uri", "a").increment();
		exempting.counter("other", "uri", "b").increment();
		exempting.counter("other", "uri", "c").increment();
		assertThat(exempting.get("other").tag("uri", CardinalityLimiter.OVERFLOW_VALUE).counter().count())
			.as("only the named meter is exempt")
			.isEqualTo(1.0);
	}

	@Test
	void aFoldedTagAfterAnExemptOneLeavesEveryOtherTagInPlace() {
		CardinalityLimiter custom = CardinalityLimiter.builder().maxValuesPerTag(2).exempt("jobs", "alpha").build();
		SimpleMeterRegistry folding = new SimpleMeterRegistry();
		folding.config().meterFilter(custom.meterFilter());
		for (int i = 0; i < 5; i++) {
			// Micrometer sorts tags by key: alpha (exempt), beta (folded past 2), gamma.
			folding.counter("jobs", "alpha", "a" + i, "beta", "b" + i, "gamma", "g").increment();
		}
		// The same folded id again, as the usual register-on-every-call idiom does.
		folding.counter("jobs", "alpha", "a4", "beta", "b4", "gamma", "g").increment();

		assertThat(folding.find("jobs").counters()).hasSize(5);
		for (int i = 2; i < 5; i++) {
			Counter folded = folding.get("jobs")
				.tags("alpha", "a" + i, "beta", CardinalityLimiter.OVERFLOW_VALUE, "gamma", "g")
				.counter();
			assertThat(folded.count()).as("a%d", i).isEqualTo((i == 4) ? 2.0 : 1.0);
		}
		assertThat(folding.get("jobs").tags("alpha", "a1", "beta", "b1", "gamma", "g").counter().count())
			.isEqualTo(1.0);
	}

	@Test
	void rejectsBudgetsBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> CardinalityLimiter.builder().maxValuesPerTag(0))
			.withMessage("maxValuesPerTag must be at least 1, got 0");
		assertThatIllegalArgumentException().isThrownBy(() -> CardinalityLimiter.builder().maxTagsPerMetric("x", -1))
			.withMessage("maxTagsPerMetric of x must be at least 1, got -1");
	}

	@Test
	void oneTagOfOneMeterCanHaveItsOwnBudget() {
		CardinalityLimiter limiter = CardinalityLimiter.builder()
			.maxValuesPerTag(5)
			.maxValuesPerTag("http.server.requests", 10)
			.maxValuesPerTag("http.server.requests", "user", 3)
			.build();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		registry.config().meterFilter(limiter.meterFilter());
		for (int i = 0; i < 20; i++) {
			registry.counter("http.server.requests", "user", "u" + i, "uri", "/r" + i).increment();
			registry.counter("other", "user", "u" + i).increment();
		}

		assertThat(registry.find("http.server.requests").counters()).extracting((c) -> c.getId().getTag("user"))
			.containsOnly("u0", "u1", "u2", CardinalityLimiter.OVERFLOW_VALUE);
		assertThat(registry.find("http.server.requests").counters()).extracting((c) -> c.getId().getTag("uri"))
			.as("the meter's other tags keep the meter's budget of 10")
			.doesNotHaveDuplicates()
			.hasSize(11)
			.contains(CardinalityLimiter.OVERFLOW_VALUE);
		assertThat(limiter.snapshot()).filteredOn((metric) -> metric.metric().equals("http.server.requests"))
			.singleElement()
			.satisfies((metric) -> {
				assertThat(metric.maxValuesPerTag()).isEqualTo(10);
				assertThat(metric.maxValuesOfTag()).containsExactly(Map.entry("user", 3));
			});
		assertThat(limiter.limit("other", "user", "u4")).as("other meters keep the global budget").isEqualTo("u4");
		assertThat(limiter.limit("other", "user", "u5")).isEqualTo(CardinalityLimiter.OVERFLOW_VALUE);
		assertThatIllegalArgumentException().isThrownBy(() -> CardinalityLimiter.builder().maxValuesPerTag("m", "t", 0))
			.withMessageContaining("maxValuesPerTag of m tag t");
	}

	@Test
	void aTagLimitSharesTheBudgetOfItsTagAndCountsItsFolds() {
		CardinalityLimiter limiter = CardinalityLimiter.builder()
			.maxValuesPerTag(5)
			.maxValuesPerTag("http.server.requests", "user", 2)
			.build();
		limiter.bindTo(this.registry);
		CardinalityLimiter.TagLimit users = limiter.tagLimit("http.server.requests", "user");

		assertThat(users.limit("alice")).isEqualTo("alice");
		assertThat(limiter.limit("http.server.requests", "user", "bob")).isEqualTo("bob");
		assertThat(users.limit("carol")).as("the per-tag budget of 2 is spent by both paths")
			.isEqualTo(CardinalityLimiter.OVERFLOW_VALUE);
		assertThat(users.limit("bob")).isEqualTo("bob");
		assertThat(limiter.limit("http.server.requests", "user", "dave")).isEqualTo(CardinalityLimiter.OVERFLOW_VALUE);
		assertThat(limiter.tagLimit("http.server.requests", "org").limit("acme")).as("each tag has its own budget")
			.isEqualTo("acme");
		assertThat(this.registry.get(CardinalityLimiter.OVERFLOW_METER)
			.tags("metric", "http.server.requests", "tag", "user")
			.functionCounter()
			.count()).isEqualTo(2.0);
		assertThat(limiter.snapshot()).singleElement()
			.satisfies((metric) -> assertThat(metric.valuesPerTag()).containsEntry("user", 2).containsEntry("org", 1));
	}

}
