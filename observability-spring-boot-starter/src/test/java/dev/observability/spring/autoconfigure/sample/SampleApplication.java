package dev.observability.spring.autoconfigure.sample;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A small Spring MVC application for the tests that run the starter on a real port.
 * Spring Security is on the test class path for the detailed metrics tests
 * ({@link SecuredSampleApplication}); it is left out here so that the other tests see
 * plain Spring MVC.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { SampleApplication.SECURITY, SampleApplication.SECURITY_FILTER,
		SampleApplication.WEB_SECURITY, SampleApplication.USER_DETAILS, SampleApplication.MANAGEMENT_SECURITY })
@Import(SampleController.class)
public class SampleApplication {

	static final String SECURITY = "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration";

	static final String SECURITY_FILTER = "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration";

	static final String WEB_SECURITY = "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration";

	static final String USER_DETAILS = "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration";

	static final String MANAGEMENT_SECURITY = "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration";

}
