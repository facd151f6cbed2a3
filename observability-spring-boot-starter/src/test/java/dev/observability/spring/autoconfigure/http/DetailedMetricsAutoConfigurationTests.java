package dev.observability.spring.autoconfigure.http;

import java.util.ArrayList;
import java.util.List;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.spring.autoconfigure.ObservabilityAutoConfiguration;
import dev.observability.spring.autoconfigure.cardinality.CardinalityLimitAutoConfiguration;
import dev.observability.spring.autoconfigure.metrics.ObservabilityMetricsAutoConfiguration;
import dev.observability.spring.http.RequestIdentityResolver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the detailed metrics part of {@link HttpServerMetricsAutoConfiguration}:
 * {@code user} and {@code org} tags from a {@link RequestIdentityResolver}, captured by
 * {@link RequestIdentityFilter} inside the chain and recorded by the metrics filter.
 */
final class DetailedMetricsAutoConfigurationTests {

	private static final String IDENTITY_FILTER = "observabilityRequestIdentityFilter";

	private static final String METRICS_FILTER = "observabilityHttpServerMetricsFilter";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ObservabilityAutoConfiguration.class, ObservabilityMetricsAutoConfiguration.class,
					CardinalityLimitAutoConfiguration.class, HttpNormalizationAutoConfiguration.class,
					HttpServerMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

	@Test
	void isOffByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(RequestIdentityResolver.class);
			assertThat(registration(context, IDENTITY_FILTER)).isNull();
			record(context, "/off", authenticated("alice"));
			assertThat(context.getBean(MeterRegistry.class).get("http.server.requests").timer().getId().getTag("user"))
				.isNull();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "yes", "1", "on" })
	void registersTheIdentityFilterJustAfterSpringSecurity(String enabled) {
		this.contextRunner.withPropertyValues("observability.metrics.detailed.enabled=" + enabled).run((context) -> {
			assertThat(context).getBean(RequestIdentityResolver.class)
				.isInstanceOf(SecurityContextIdentityResolver.class);
			FilterRegistrationBean<?> registration = registration(context, IDENTITY_FILTER);
			assertThat(registration.getFilter()).isInstanceOf(RequestIdentityFilter.class);
			assertThat(registration.getOrder()).as("Spring Security's chain runs at -100 by default").isEqualTo(-99);
			assertThat(registration.determineDispatcherTypes()).containsExactly(DispatcherType.REQUEST);
		});
	}

	@Test
	void followsACustomSpringSecurityFilterOrder() {
		this.contextRunner
			.withPropertyValues("observability.metrics.detailed.enabled=true", "spring.security.filter.order=10")
			.run((context) -> assertThat(registration(context, IDENTITY_FILTER).getOrder()).isEqualTo(11));
	}

	@ParameterizedTest
	@ValueSource(strings = { "observability.metrics.detailed.enabled=false", "observability.metrics.enabled=false",
			"observability.enabled=false" })
	void backsOffWhenASwitchIsOff(String property) {
		this.contextRunner.withPropertyValues("observability.metrics.detailed.enabled=true", property)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(RequestIdentityResolver.class);
				assertThat(registration(context, IDENTITY_FILTER)).isNull();
			});
	}

	@Test
	void tagsRequestsWithTheAuthenticatedPrincipal() {
		this.contextRunner.withPropertyValues("observability.metrics.detailed.enabled=true").run((context) -> {
			record(context, "/who", authenticated("alice"));
			record(context, "/who", authenticated("alice"));
			record(context, "/who", new AnonymousAuthenticationToken("key", "anonymousUser",
					AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
			record(context, "/who", null);

			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("http.server.requests").tags("user", "alice", "org", "none").timer().count())
				.isEqualTo(2);
			assertThat(registry.get("http.server.requests").tags("user", "none", "org", "none").timer().count())
				.as("anonymous and unauthenticated requests")
				.isEqualTo(2);
			assertThat(registry.get("http.server.response.size").tags("user", "alice").summary().count()).isEqualTo(2);
		});
	}

	@Test
	void usesTheServletPrincipalWithoutSpringSecurity() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
			.withPropertyValues("observability.metrics.detailed.enabled=true")
			.run((context) -> {
				assertThat(context).getBean(RequestIdentityResolver.class)
					.isInstanceOf(UserPrincipalIdentityResolver.class);
				MockHttpServletRequest request = request("/container");
				request.setUserPrincipal(() -> "bob");
				filters(context).doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
				assertThat(context.getBean(MeterRegistry.class)
					.get("http.server.requests")
					.tags("user", "bob", "org", "none")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void usesAUserDefinedResolver() {
		this.contextRunner.withPropertyValues("observability.metrics.detailed.enabled=true")
			.withUserConfiguration(HeaderIdentityConfiguration.class)
			.run((context) -> {
				assertThat(context).getBean(RequestIdentityResolver.class)
					.isSameAs(context.getBean(HeaderIdentityConfiguration.class).resolver);
				MockHttpServletRequest request = request("/tenant");
				request.addHeader("X-User", "carol");
				request.addHeader("X-Org", "acme");
				filters(context).doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
				assertThat(context.getBean(MeterRegistry.class)
					.get("http.server.requests")
					.tags("user", "carol", "org", "acme")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void aFailingResolverNeverReachesTheApplication() {
		this.contextRunner.withPropertyValues("observability.metrics.detailed.enabled=true")
			.withBean(RequestIdentityResolver.class, () -> (request) -> {
				throw new IllegalStateException("directory down");
			})
			.run((context) -> {
				MockHttpServletResponse response = new MockHttpServletResponse();
				MockFilterChain application = new MockFilterChain();
				filters(context).doFilter(request("/fragile"), response, application);
				assertThat(application.getRequest()).as("the application was called").isNotNull();
				assertThat(context.getBean(MeterRegistry.class)
					.get("http.server.requests")
					.tags("user", "none", "org", "none")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void foldsUsersBeyondTheirOwnBudget() {
		this.contextRunner
			.withPropertyValues("observability.metrics.detailed.enabled=true",
					"observability.metrics.detailed.max-users=2", "observability.metrics.detailed.max-orgs=1",
					"observability.metrics.cardinality.max-values-per-tag=50")
			.withUserConfiguration(HeaderIdentityConfiguration.class)
			.run((context) -> {
				Filter filters = filters(context);
				for (String user : new String[] { "u1", "u2", "u3", "u4", "u1" }) {
					MockHttpServletRequest request = request("/budget");
					request.addHeader("X-User", user);
					request.addHeader("X-Org", "org-" + user);
					filters.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
				}
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				List<String> users = new ArrayList<>();
				for (Meter meter : registry.find("http.server.requests").meters()) {
					users.add(meter.getId().getTag("user") + "/" + meter.getId().getTag("org"));
				}
				assertThat(users).containsExactlyInAnyOrder("u1/org-u1", "u2/__overflow__",
						"__overflow__/__overflow__");
				assertThat(registry.get("http.server.requests").tag("user", "u1").timer().count()).isEqualTo(2);
				assertThat(registry.get(CardinalityLimiter.OVERFLOW_METER)
					.tags("metric", "http.server.requests", "tag", "user")
					.functionCounter()
					.count()).isEqualTo(2);
				assertThat(registry.get(CardinalityLimiter.OVERFLOW_METER)
					.tags("metric", "http.server.requests", "tag", "org")
					.functionCounter()
					.count()).isEqualTo(3);
			});
	}

	@Test
	void everyFamilyRecordsTheSameUserForARequest() {
		this.contextRunner
			.withPropertyValues("observability.metrics.detailed.enabled=true",
					"observability.metrics.detailed.max-users=2")
			.withUserConfiguration(HeaderIdentityConfiguration.class)
			.run((context) -> {
				Filter filters = filters(context);
				for (String user : new String[] { "u1", "u2" }) {
					MockHttpServletRequest request = request("/same");
					request.addHeader("X-User", user);
					filters.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
				}
				// No identity once the budget is full: "none" folds like any new value,
				// in every family, exceptions included.
				assertThatIllegalStateException().isThrownBy(
						() -> filters.doFilter(request("/same"), new MockHttpServletResponse(), (request, response) -> {
							throw new IllegalStateException("boom");
						}));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String family : new String[] { "http.server.requests", "http.server.response.size",
						"http.server.exceptions" }) {
					assertThat(registry.find(family).meters()).as(family)
						.extracting((meter) -> meter.getId().getTag("user"))
						.doesNotContain("none")
						.contains(CardinalityLimiter.OVERFLOW_VALUE);
				}
				assertThat(registry.get(CardinalityLimiter.OVERFLOW_METER)
					.tags("metric", "http.server.requests", "tag", "user")
					.functionCounter()
					.count()).as("one fold per request, counted once").isEqualTo(1);
				assertThat(registry.find(CardinalityLimiter.OVERFLOW_METER)
					.tag("metric", "http.server.exceptions")
					.meters()).isEmpty();
			});
	}

	private static void record(AssertableWebApplicationContext context, String path, Authentication authentication)
			throws Exception {
		// Spring Security's chain sets the context for the rest of the chain and clears
		// it
		// on the way out, before the metrics filter records.
		FilterChain security = (request, response) -> {
			if (authentication != null) {
				SecurityContextHolder.getContext().setAuthentication(authentication);
			}
			try {
				Filter identity = registration(context, IDENTITY_FILTER) != null
						? registration(context, IDENTITY_FILTER).getFilter() : null;
				if (identity != null) {
					identity.doFilter(request, response, new MockFilterChain());
				}
			}
			finally {
				SecurityContextHolder.clearContext();
			}
		};
		registration(context, METRICS_FILTER).getFilter()
			.doFilter(request(path), new MockHttpServletResponse(), security);
	}

	private static UsernamePasswordAuthenticationToken authenticated(String name) {
		return UsernamePasswordAuthenticationToken.authenticated(name, "pw",
				AuthorityUtils.createAuthorityList("ROLE_USER"));
	}

	private static MockHttpServletRequest request(String route) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", route);
		request.setAttribute(HttpServerMetricsFilter.ROUTE_ATTRIBUTE, route);
		return request;
	}

	/** The metrics filter wrapping the identity filter, as the container orders them. */
	private static Filter filters(AssertableWebApplicationContext context) {
		Filter metrics = registration(context, METRICS_FILTER).getFilter();
		Filter identity = registration(context, IDENTITY_FILTER).getFilter();
		return (request, response, chain) -> metrics.doFilter(request, response,
				(inner, innerResponse) -> identity.doFilter(inner, innerResponse, chain));
	}

	private static FilterRegistrationBean<?> registration(AssertableWebApplicationContext context, String name) {
		for (FilterRegistrationBean<?> registration : context.getBeansOfType(FilterRegistrationBean.class).values()) {
			if (name.equals(registration.getFilterName())) {
				return registration;
			}
		}
		return null;
	}

	@Configuration(proxyBeanMethods = false)
	static class HeaderIdentityConfiguration {

		final RequestIdentityResolver resolver = new RequestIdentityResolver() {

			@Override
			public String user(jakarta.servlet.http.HttpServletRequest request) {
				return request.getHeader("X-User");
			}

			@Override
			public String org(jakarta.servlet.http.HttpServletRequest request) {
				return request.getHeader("X-Org");
			}

		};

		@Bean
		RequestIdentityResolver headerIdentityResolver() {
			return this.resolver;
		}

	}

}
