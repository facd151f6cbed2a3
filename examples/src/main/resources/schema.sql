CREATE TABLE movie (
	id BIGINT PRIMARY KEY,
	title VARCHAR(200) NOT NULL,
	-- YEAR is an SQL keyword.
	release_year INT NOT NULL
);
