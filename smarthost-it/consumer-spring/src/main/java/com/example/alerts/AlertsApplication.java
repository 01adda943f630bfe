package com.example.alerts;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class AlertsApplication {
  public static void main(String[] args) {
    SpringApplication.run(AlertsApplication.class, args);
  }
}
