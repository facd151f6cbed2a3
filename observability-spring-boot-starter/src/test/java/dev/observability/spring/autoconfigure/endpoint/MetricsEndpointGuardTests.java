package dev.observability.spring.autoconfigure.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import dev.observability.spring.autoconfigure.endpoint.MetricsEndpointGuard.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MetricsEndpointGuard}.
 */
final class MetricsEndpointGuardTests {

	private static final String TOKEN = "t0ken-9f8e7d6c";

	@Test
	void allowsEveryoneWhenNothingIsConfigured() {
		MetricsEndpointGuard guard = guard(new MetricsEndpointProperties());
		assertThat(guard.check("10.1.2.3", null)).isEqualTo(Verdict.ALLOWED);
		assertThat(guard.check(null, null)).isEqualTo(Verdict.ALLOWED);
		assertThat(guard.challenges()).isEmpty();
	}

	@Test
	void requiresConfiguredToken() {
		MetricsEndpointGuard guard = guard(withToken());
		assertThat(guard.check("127.0.0.1", null)).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", "Bearer wrong")).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", "Bearer " + TOKEN + "x")).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", "Bearer ")).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", "Bearer")).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", TOKEN)).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", "Token " + TOKEN)).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", basic("prometheus", TOKEN))).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", "Bearer " + TOKEN)).isEqualTo(Verdict.ALLOWED);
	}

	@Test
	void acceptsBearerSchemeInAnyCase() {
		MetricsEndpointGuard guard = guard(withToken());
		assertThat(guard.check("127.0.0.1", "bearer " + TOKEN)).isEqualTo(Verdict.ALLOWED);
		assertThat(guard.check("127.0.0.1", "BEARER " + TOKEN)).isEqualTo(Verdict.ALLOWED);
	}

	@Test
	void challengesForBearerTokenOnly() {
		assertThat(guard(withToken()).challenges()).containsExactly("Bearer realm=\"metrics\"");
	}

	@Test
	void requiresConfiguredBasicCredentials() {
		MetricsEndpointGuard guard = guard(withBasic());
		assertThat(guard.check("127.0.0.1", null)).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", basic("prometheus", "wrong"))).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", basic("grafana", "s3cret:pässword"))).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", basic("prometheus", "s3cret:pässword"))).isEqualTo(Verdict.ALLOWED);
		assertThat(guard.check("127.0.0.1", "basic " + encode("prometheus:s3cret:pässword")))
			.isEqualTo(Verdict.ALLOWED);
	}

	@Test
	void rejectsMalformedBasicCredentialsWithoutThrowing() {
		MetricsEndpointGuard guard = guard(withBasic());
		assertThat(guard.check("127.0.0.1", "Basic !!!not-base64!!!")).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", "Basic " + encode("no-colon-here"))).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", "Basic ")).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", "Basic")).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", "")).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", " ")).isEqualTo(Verdict.UNAUTHORIZED);
	}

	@Test
	void challengesForBasicCredentialsOnly() {
		assertThat(guard(withBasic()).challenges()).containsExactly("Basic realm=\"metrics\", charset=\"UTF-8\"");
	}

	@Test
	void acceptsEitherCredentialWhenTokenAndBasicAreConfigured() {
		MetricsEndpointProperties properties = withBasic();
		properties.setToken(TOKEN);
		MetricsEndpointGuard guard = guard(properties);
		assertThat(guard.check("127.0.0.1", "Bearer " + TOKEN)).isEqualTo(Verdict.ALLOWED);
		assertThat(guard.check("127.0.0.1", basic("prometheus", "s3cret:pässword"))).isEqualTo(Verdict.ALLOWED);
		assertThat(guard.check("127.0.0.1", "Bearer s3cret:pässword")).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", basic("prometheus", TOKEN))).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("127.0.0.1", null)).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.challenges()).containsExactly("Bearer realm=\"metrics\"",
				"Basic realm=\"metrics\", charset=\"UTF-8\"");
	}

	@Test
	void allowsOnlyAddressesInAllowedRanges() {
		MetricsEndpointGuard guard = guard(withAddresses("10.0.0.0/8", "192.168.1.7"));
		assertThat(guard.check("10.1.2.3", null)).isEqualTo(Verdict.ALLOWED);
		assertThat(guard.check("192.168.1.7", null)).isEqualTo(Verdict.ALLOWED);
		assertThat(guard.check("192.168.1.8", null)).isEqualTo(Verdict.FORBIDDEN);
		assertThat(guard.check("127.0.0.1", null)).isEqualTo(Verdict.FORBIDDEN);
		assertThat(guard.check("11.0.0.1", null)).isEqualTo(Verdict.FORBIDDEN);
		assertThat(guard.check(null, null)).isEqualTo(Verdict.FORBIDDEN);
		assertThat(guard.check("localhost", null)).isEqualTo(Verdict.FORBIDDEN);
		assertThat(guard.check("::1", null)).isEqualTo(Verdict.FORBIDDEN);
	}

	@Test
	void matchesIpv6LoopbackInEveryNotation() {
		MetricsEndpointGuard guard = guard(withAddresses("::1/128"));
		assertThat(guard.check("::1", null)).isEqualTo(Verdict.ALLOWED);
		// Tomcat reports IPv6 clients in full form.
		assertThat(guard.check("0:0:0:0:0:0:0:1", null)).isEqualTo(Verdict.ALLOWED);
		assertThat(guard.check("[::1]", null)).isEqualTo(Verdict.ALLOWED);
		assertThat(guard.check("::2", null)).isEqualTo(Verdict.FORBIDDEN);
		assertThat(guard.check("127.0.0.1", null)).isEqualTo(Verdict.FORBIDDEN);
	}

	@Test
	void matchesIpv4MappedIpv6AddressAgainstIpv4Range() {
		MetricsEndpointGuard guard = guard(withAddresses("10.0.0.0/8"));
		assertThat(guard.check("::ffff:10.0.0.1", null)).isEqualTo(Verdict.ALLOWED);
	}

	@Test
	void checksAddressBeforeCredentials() {
		MetricsEndpointProperties properties = withToken();
		properties.setAllowedAddresses(List.of("10.0.0.0/8"));
		MetricsEndpointGuard guard = guard(properties);
		assertThat(guard.check("127.0.0.1", "Bearer " + TOKEN)).isEqualTo(Verdict.FORBIDDEN);
		assertThat(guard.check("10.0.0.1", null)).isEqualTo(Verdict.UNAUTHORIZED);
		assertThat(guard.check("10.0.0.1", "Bearer " + TOKEN)).isEqualTo(Verdict.ALLOWED);
	}

	@Test
	void neverShowsSecretsInToString() {
		MetricsEndpointProperties properties = withBasic();
		properties.setToken(TOKEN);
		assertThat(guard(properties).toString()).doesNotContain(TOKEN).doesNotContain("s3cret");
	}

	private static MetricsEndpointGuard guard(MetricsEndpointProperties properties) {
		return MetricsEndpointGuard.of(properties);
	}

	private static MetricsEndpointProperties withToken() {
		MetricsEndpointProperties properties = new MetricsEndpointProperties();
		properties.setToken(TOKEN);
		return properties;
	}

	private static MetricsEndpointProperties withBasic() {
		MetricsEndpointProperties properties = new MetricsEndpointProperties();
		properties.getBasicAuth().setUsername("prometheus");
		properties.getBasicAuth().setPassword("s3cret:pässword");
		return properties;
	}

	private static MetricsEndpointProperties withAddresses(String... ranges) {
		MetricsEndpointProperties properties = new MetricsEndpointProperties();
		properties.setAllowedAddresses(List.of(ranges));
		return properties;
	}

	private static String basic(String username, String password) {
		return "Basic " + encode(username + ":" + password);
	}

	private static String encode(String credentials) {
		return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

}
