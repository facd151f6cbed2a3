package dev.observability.core.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AddressRange}.
 */
final class AddressRangeTests {

	@ParameterizedTest
	@CsvSource({ "10.0.0.0/8, 10.1.2.3, true", "10.0.0.0/8, 11.0.0.1, false", "127.0.0.1, 127.0.0.1, true",
			"127.0.0.1, 127.0.0.2, false", "192.168.1.0/24, 192.168.1.255, true", "192.168.1.0/24, 192.168.2.0, false",
			"0.0.0.0/0, 8.8.8.8, true", "::1/128, ::1, true", "::1, 0:0:0:0:0:0:0:1, true", "fd00::/8, fd12::1, true",
			"fd00::/8, fe80::1, false", "10.0.0.0/8, ::ffff:10.0.0.1, true", "10.0.0.0/8, ::1, false",
			"::1, 127.0.0.1, false", "10.0.0.5/8, 10.200.0.1, true" })
	void matchesAddressesInTheRange(String range, String address, boolean expected) {
		assertThat(AddressRange.parse(range).contains(address)).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "localhost", "example.com", "10.0.0", "10.0.0.256", "1.2.3.4.5", "10..0.1" })
	void nonLiteralsAreNeverContained(String address) {
		assertThat(AddressRange.parse("0.0.0.0/0").contains(address)).isFalse();
	}

	@Test
	void nullIsNotContained() {
		assertThat(AddressRange.parse("0.0.0.0/0").contains(null)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/x", "localhost", "example.com/8", "",
			"300.0.0.0/8", "10.0.0.0/" })
	void rejectsInvalidRangesWithAClearMessage(String range) {
		assertThatIllegalArgumentException().isThrownBy(() -> AddressRange.parse(range))
			.withMessageContaining("Invalid address range '" + range + "'")
			.withMessageContaining("expected CIDR");
	}

	@Test
	void keepsTheTextItWasParsedFrom() {
		assertThat(AddressRange.parse(" 10.0.0.0/8 ")).hasToString("10.0.0.0/8");
	}

}
