Console.Error.WriteLine("firmware-sim: not built yet");
return 2;
