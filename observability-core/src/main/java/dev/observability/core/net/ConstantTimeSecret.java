package dev.observability.core.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A secret (token or password) that is checked in constant time and never printed.
 * <p>
 * Both sides are hashed before the comparison, so the time taken depends neither on where
 * the first differing character is nor on the secret's length.
 */
public final class ConstantTimeSecret {

	private final byte[] digest;

	private ConstantTimeSecret(String secret) {
		this.digest = sha256(secret);
	}

	/**
	 * Wraps a secret.
	 * @param secret the expected value; must not be empty
	 * @return the secret
	 * @throws IllegalArgumentException if the secret is empty
	 */
	public static ConstantTimeSecret of(String secret) {
		if (secret.isEmpty()) {
			throw new IllegalArgumentException("secret must not be empty");
		}
		return new ConstantTimeSecret(secret);
	}

	/**
	 * Tells whether a presented value equals the secret.
	 * @param presented the value a client sent
	 * @return whether it matches
	 */
	public boolean matches(String presented) {
		return MessageDigest.isEqual(this.digest, sha256(presented));
	}

	@Override
	public String toString() {
		return "******";
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
