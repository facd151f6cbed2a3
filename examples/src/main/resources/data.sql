INSERT INTO movie (id, title, release_year) VALUES (1, 'Metropolis', 1927);
INSERT INTO movie (id, title, release_year) VALUES (42, 'The Hitchhiker''s Guide to the Galaxy', 2005);
INSERT INTO movie (id, title, release_year) VALUES (1977, 'Star Wars', 1977);
