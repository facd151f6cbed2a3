package dev.observability.spring.autoconfigure.sample;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@link SampleApplication}'s endpoints behind Spring Security, with Spring Boot's
 * security auto-configuration, for the detailed metrics tests: HTTP basic authentication,
 * the scrape endpoint open to all, every other path for authenticated users only. The
 * users {@value #ALICE}, {@value #BOB}, {@value #CAROL} and {@value #DAVE} share the
 * password {@value #PASSWORD}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SampleController.class)
public class SecuredSampleApplication {

	/** A user. */
	public static final String ALICE = "alice";

	/** A user. */
	public static final String BOB = "bob";

	/** A user. */
	public static final String CAROL = "carol";

	/** A user. */
	public static final String DAVE = "dave";

	/** The password of every user. */
	public static final String PASSWORD = "pw";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		// Stateless basic authentication, so that each request says who made it.
		return http
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/metrics").permitAll().anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			.csrf(AbstractHttpConfigurer::disable)
			.build();
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService() {
		return new InMemoryUserDetailsManager(user(ALICE), user(BOB), user(CAROL), user(DAVE));
	}

	/**
	 * Returns the value of an {@code Authorization} header that authenticates a user.
	 * @param user the user name
	 * @return {@code Basic} and the encoded credentials
	 */
	public static String basicAuthorization(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	private static UserDetails user(String name) {
		return User.withUsername(name).password("{noop}" + PASSWORD).roles("USER").build();
	}

}
