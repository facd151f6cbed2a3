package dev.observability.spring.autoconfigure.tracing;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Starts real, non-web applications with every auto-configuration on the test class path,
 * as the tracing tests need: the starter's environment post-processor must see the
 * properties and environment variables, so they cannot be added after start-up.
 */
final class TracingApplications {

	private TracingApplications() {
	}

	/**
	 * Starts an application.
	 * @param variables environment variables, in place of the machine's own
	 * @param properties {@code name=value} pairs, given on the command line
	 * @return the running application
	 */
	static ConfigurableApplicationContext start(Map<String, Object> variables, String... properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
		SpringApplication application = new SpringApplication(EveryAutoConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setEnvironment(environment);
		application.setDefaultProperties(Map.of("spring.main.banner-mode", "off"));
		String[] args = new String[properties.length];
		for (int i = 0; i < properties.length; i++) {
			args[i] = "--" + properties[i];
		}
		return application.run(args);
	}

	/** An application with every auto-configuration on the class path but Security's. */
	@SpringBootConfiguration
	@EnableAutoConfiguration(
			excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
					"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration" })
	static class EveryAutoConfiguration {

	}

}
