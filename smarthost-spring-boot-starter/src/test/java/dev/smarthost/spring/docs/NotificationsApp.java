package dev.smarthost.spring.docs;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application of the Spring Boot guide's example (docs/spring-boot.md). */
@SpringBootApplication
public class NotificationsApp {}
